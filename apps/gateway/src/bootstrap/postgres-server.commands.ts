import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { BootstrapError } from './bootstrap.error';
import type { OsUser } from './embedded-postgres.layout';

const run = promisify(execFile);

/**
 * Runs the three server binaries (initdb, pg_ctl, postgres) the same way whichever source they come from:
 * as ourselves, or, when we are root, as an unprivileged user (Postgres refuses root) through the spawn's uid/gid,
 * so no `runuser` or `su` is needed on a minimal image. Everything else (readiness, databases, roles) goes
 * through the `pg` driver, because the npm binaries ship no psql, createdb or pg_isready.
 */
export class PostgresServerCommands {
  constructor(
    private binDir: string,
    private readonly dataDir: string,
    private readonly runAs?: OsUser,
  ) {}

  get binaries(): string {
    return this.binDir;
  }

  /** Creates a folder the server's user owns, private (initdb and the postmaster insist on 0700 data folders). */
  ownDir(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (this.runAs) chownSync(dir, this.runAs.uid, this.runAs.gid);
  }

  /**
   * The server's user must be able to execute the binaries. When they sit in a folder it cannot enter (npm's copy
   * in a checkout under /root), a copy of the whole installation (bin, lib, share: the binaries find the rest
   * relative to themselves) is made once into `stateDir` and used from there.
   */
  async ensureRunnable(stateDir: string): Promise<void> {
    if (await this.runs()) return;
    const install = dirname(this.binDir);
    // Named after the binary it copies, so an upgraded package gets a fresh copy instead of the old one.
    const server = statSync(join(this.binDir, 'postgres'));
    const copy = join(stateDir, `pgsql-${server.size}-${Math.floor(server.mtimeMs)}`);
    if (!existsSync(join(copy, basename(this.binDir), 'postgres'))) {
      cpSync(install, copy, { recursive: true, verbatimSymlinks: true });
      this.shareWithRunAs(copy);
    }
    this.binDir = join(copy, basename(this.binDir));
    if (!(await this.runs())) {
      throw new BootstrapError('bootstrap.postgres_failed', `The PostgreSQL binaries in ${this.binDir} do not run as ${this.runAs?.name ?? 'this user'}`);
    }
  }

  async run(bin: 'initdb' | 'pg_ctl', args: string[]): Promise<void> {
    try {
      await run(join(this.binDir, bin), args, this.spawnOptions());
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      const hint = bin === 'pg_ctl' ? ` (server log: ${join(this.dataDir, 'server.log')})` : '';
      throw new BootstrapError('bootstrap.postgres_failed', `${bin} failed: ${(e.stderr || e.message).trim()}${hint}`);
    }
  }

  /** For an 'exit' listener, where only synchronous work is possible. */
  runSync(bin: 'pg_ctl', args: string[]): void {
    try {
      execFileSync(join(this.binDir, bin), args, { ...this.spawnOptions(), stdio: 'ignore' });
    } catch {
      // Shutting down anyway; the next start recovers from whatever state is left.
    }
  }

  /** The major version of the server binary ("postgres (PostgreSQL) 18.4" → 18). */
  async majorVersion(): Promise<number> {
    const { stdout } = await run(join(this.binDir, 'postgres'), ['--version'], this.spawnOptions());
    const major = /PostgreSQL\)\s+(\d+)/.exec(stdout)?.[1];
    if (!major) throw new BootstrapError('bootstrap.postgres_failed', `Unrecognised version from ${this.binDir}/postgres: ${stdout.trim()}`);
    return Number(major);
  }

  private async runs(): Promise<boolean> {
    try {
      await this.majorVersion();
      return true;
    } catch {
      return false;
    }
  }

  /** Copied files stay root's but readable (and, where executable, executable) by all, like `chmod -R a+rX`. */
  private shareWithRunAs(path: string): void {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const executable = stat.isDirectory() || (stat.mode & 0o100) !== 0;
    chmodSync(path, stat.mode | 0o444 | (executable ? 0o111 : 0));
    if (stat.isDirectory()) for (const entry of readdirSync(path)) this.shareWithRunAs(join(path, entry));
  }

  /** A minimal environment: the server needs no secret of ours, and LC_ALL=C keeps initdb's messages parseable. */
  private spawnOptions(): { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number } {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };
    return this.runAs ? { cwd: '/', env, uid: this.runAs.uid, gid: this.runAs.gid } : { cwd: '/', env };
  }
}
