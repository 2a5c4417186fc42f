import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordedStateDir } from './embedded-postgres.layout';
import { isPostgresProcess } from './postgres-process';

export interface ResetResult {
  removed: string[];
  stoppedPid?: number;
}

/**
 * `npm run reset`: stops the embedded Postgres if it runs, then deletes `.data` and the cluster folder recorded
 * in it (under /var/lib/usi-gateway when it was started as root). Nothing else is touched.
 */
export async function resetDemo(baseDir = './.data'): Promise<ResetResult> {
  const base = resolve(baseDir);
  const stateDir = existsSync(base) ? recordedStateDir(base) : undefined;
  const result: ResetResult = { removed: [] };
  if (stateDir) {
    result.stoppedPid = await stopPostmaster(join(stateDir, 'pg'));
    if (resolve(stateDir) !== base && existsSync(stateDir)) {
      rmSync(stateDir, { recursive: true, force: true });
      result.removed.push(stateDir);
    }
  }
  if (existsSync(base)) {
    rmSync(base, { recursive: true, force: true });
    result.removed.push(base);
  }
  return result;
}

/** SIGINT is Postgres's fast shutdown; the pid file names the postmaster. Waits up to 30 s for it to go. */
async function stopPostmaster(dataDir: string): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!isPostgresProcess(pid)) return undefined;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && alive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (require.main === module) {
  resetDemo().then(
    ({ removed, stoppedPid }) => {
      if (stoppedPid) process.stdout.write(`stopped the embedded Postgres (PID ${stoppedPid})\n`);
      process.stdout.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to reset\n');
    },
    (err: unknown) => {
      process.stderr.write(`reset failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
