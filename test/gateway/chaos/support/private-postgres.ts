import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinaries } from '@gateway/bootstrap/postgres-binaries';
import { queryAs } from '../../../support/test-database';
import { freePort } from './free-port';

const run = promisify(execFile);
const SUPERUSER = 'postgres';
const DATABASE = 'chaos';

/**
 * A Postgres cluster of the test's own, on a free port, that the test may stop, crash and restart: the shared server
 * every other suite (and every other engineer on the machine) uses must never be touched. Built from the system's
 * server binaries; as root the server commands run as the `postgres` OS user, which refuses to run as root.
 */
export class PrivatePostgres {
  private readonly asRoot = process.getuid?.() === 0;
  private readonly binDir = findPostgresBinaries().dir;
  private readonly baseDir: string;
  private readonly dataDir: string;
  private running = false;

  /** A test run that ends without its teardown must not leave a server running on a shared machine. */
  private readonly stopOnExit = (): void => {
    if (!this.running) return;
    const [file, argv] = this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', 'stop']);
    try {
      execFileSync(file, argv, { cwd: '/', stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  };

  private constructor(readonly port: number) {
    this.baseDir = mkdtempSync(join(tmpdir(), 'usi-chaos-pg-'));
    this.dataDir = join(this.baseDir, 'data');
    // The postgres user must reach the folder (mkdtemp makes it 0700 and root's).
    chmodSync(this.baseDir, 0o755);
    if (this.asRoot) chownSync(this.baseDir, this.uidOf('-u'), this.uidOf('-g'));
  }

  static async start(): Promise<PrivatePostgres> {
    const pg = new PrivatePostgres(await freePort());
    try {
      await pg.server('initdb', ['-D', pg.dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
      await pg.startServer();
      await pg.query('postgres', `CREATE DATABASE ${DATABASE}`);
      return pg;
    } catch (err) {
      await pg.destroy();
      throw err;
    }
  }

  /** Owner (superuser) URL of the test database. */
  get ownerUrl(): string {
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  /** Returns once the server accepts connections again (after crash recovery when it was stopped with `immediate`). */
  async startServer(): Promise<void> {
    // fsync off: a test cluster never survives a machine crash, and the shared disk is busy enough.
    const options = `-p ${this.port} -k '${this.baseDir}' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
    await this.server('pg_ctl', ['-D', this.dataDir, '-l', join(this.baseDir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
    this.running = true;
    process.once('exit', this.stopOnExit);
  }

  /** `immediate`: every backend is killed without a goodbye, as when the server or its host dies. */
  async stopServer(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    this.running = false;
    process.removeListener('exit', this.stopOnExit);
    await this.server('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** `pg_terminate_backend` on every session whose application_name starts with `applicationPrefix`; returns how many. */
  async terminateBackends(applicationPrefix: string): Promise<number> {
    const rows = await this.query<{ pid: number }>(
      DATABASE,
      `select pid from pg_stat_activity where application_name like $1 and pid <> pg_backend_pid() and pg_terminate_backend(pid)`,
      [`${applicationPrefix}%`],
    );
    return rows.length;
  }

  /** Sessions whose application_name is `application` and that are listening (LISTEN) on `channel`. */
  async listeners(application: string, channel: string): Promise<number> {
    const rows = await this.query<{ n: string }>(
      DATABASE,
      `select count(*) as n from pg_stat_activity where application_name = $1 and query = $2`,
      [application, `LISTEN ${channel}`],
    );
    return Number(rows[0].n);
  }

  async query<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return queryAs<T>(`postgres://${SUPERUSER}@127.0.0.1:${this.port}/${database}`, sql, params);
  }

  async destroy(): Promise<void> {
    if (this.running) await this.stopServer('immediate').catch(() => undefined);
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  private async server(bin: string, args: string[]): Promise<void> {
    const [file, argv] = this.command(bin, args);
    try {
      await run(file, argv, { cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${bin} failed: ${(e.stderr || e.message).trim()} (log: ${join(this.baseDir, 'server.log')})`);
    }
  }

  /** Server commands refuse to run as root: as root they run as the `postgres` OS user. */
  private command(bin: string, args: string[]): [string, string[]] {
    const path = join(this.binDir, bin);
    return this.asRoot ? ['runuser', ['-u', SUPERUSER, '--', path, ...args]] : [path, args];
  }

  private uidOf(flag: '-u' | '-g'): number {
    return Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  }
}
