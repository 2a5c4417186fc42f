import { readFileSync } from 'node:fs';

/**
 * Whether `pid` (from a postmaster.pid) is a live Postgres server. A crash or a container restart leaves the file
 * behind, and by then the PID may belong to an unrelated process that must be neither trusted nor signalled.
 */
export function isPostgresProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but another user's; the server of a cluster we started runs as us or as our unprivileged user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc (macOS): a live PID is taken for the server, and the caller says so
  }
}
