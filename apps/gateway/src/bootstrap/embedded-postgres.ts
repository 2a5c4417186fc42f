import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BootstrapError } from './bootstrap.error';
import { freePort } from './free-port';
import { findPostgresBinDir } from './postgres-binaries';

const run = promisify(execFile);
const SUPERUSER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Parent of the data (`pg/`) and socket (`pg-socket/`) directories; default `./.data`. */
  baseDir?: string;
  /** Preferred port; the next free one is taken when it is busy. Default 5433, beside a system cluster on 5432. */
  port?: number;
  database?: string;
  binDir?: string;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Owner (superuser) URL: for migrations and the demo seed, not for the application role. */
  url: string;
  port: number;
  dataDir: string;
  /** False when an already running server was re-used; `stop()` then leaves it alone. */
  started: boolean;
  stop(): Promise<void>;
  /**
   * Last resort for an exit without an orderly `stop()` (a crash, a plain process.exit()): stops the server
   * synchronously. Signals are the caller's to handle, so it can close the app first and choose the exit code.
   */
  stopOnProcessExit(): void;
}

/**
 * A private Postgres for `npm start` without DATABASE_URL, built from the distribution's server binaries.
 * Idempotent: an initialised data dir is kept, a running server is re-used, a stale postmaster.pid is cleared.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'usi_gateway';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) {
    throw new BootstrapError('bootstrap.postgres_bad_name', `Invalid database name ${database}`);
  }
  const binDir = findPostgresBinDir(options.binDir);
  const baseDir = resolve(options.baseDir ?? './.data');
  const dataDir = join(baseDir, 'pg');
  const socketDir = join(baseDir, 'pg-socket');
  const pg = new PostgresCommands(binDir, dataDir);

  pg.prepareDirs(socketDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising a Postgres cluster in ${dataDir}`);
    await pg.run('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale']);
  }

  let port = await runningPort(pg, dataDir);
  const started = port === undefined;
  if (port === undefined) {
    port = await freePort(options.port ?? 5433, 'Postgres');
    log(`starting Postgres on 127.0.0.1:${port}`);
    const serverOptions = `-p ${port} -k '${socketDir}' -c listen_addresses=127.0.0.1`;
    await pg.run('pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
  } else {
    log(`re-using the Postgres already running on 127.0.0.1:${port}`);
  }
  await pg.ensureDatabase(port, database);

  let stopped = !started;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await pg.run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  };
  const stopOnProcessExit = (): void => {
    // Only synchronous work is possible in an 'exit' listener.
    process.once('exit', () => {
      if (!stopped) pg.runSync('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    });
  };
  return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`, port, dataDir, started, stop, stopOnProcessExit };
}

/** Runs the server binaries, as the `postgres` OS user when we are root (Postgres refuses to run as root). */
class PostgresCommands {
  private readonly asRoot = process.getuid?.() === 0;

  constructor(
    private readonly binDir: string,
    private readonly dataDir: string,
  ) {}

  prepareDirs(socketDir: string): void {
    for (const dir of [this.dataDir, socketDir]) {
      mkdirSync(dir, { recursive: true });
      if (this.asRoot) {
        const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
        const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
        chownSync(dir, uid, gid);
      }
    }
    // initdb and the postmaster insist on a private data directory.
    chmodSync(this.dataDir, 0o700);
    if (this.asRoot) {
      try {
        execFileSync('runuser', ['-u', SUPERUSER, '--', 'test', '-w', this.dataDir], { stdio: 'ignore' });
      } catch {
        throw new BootstrapError(
          'bootstrap.postgres_dir_unreachable',
          `The ${SUPERUSER} OS user cannot reach ${this.dataDir}; make its parent directories traversable (chmod o+x) or set DATABASE_URL`,
        );
      }
    }
  }

  async run(bin: string, args: string[]): Promise<void> {
    const [file, argv] = this.command(bin, args);
    try {
      await run(file, argv, { cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new BootstrapError('bootstrap.postgres_failed', `${bin} failed: ${(e.stderr || e.message).trim()}${this.logHint(bin)}`);
    }
  }

  async answers(port: number): Promise<boolean> {
    const [file, argv] = this.command('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '2'], false);
    return run(file, argv).then(
      () => true,
      () => false,
    );
  }

  /** The name was checked against a plain-identifier pattern, so it is safe to interpolate. */
  async ensureDatabase(port: number, database: string): Promise<void> {
    const conn = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER];
    const [file, argv] = this.command('psql', [...conn, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${database}'`], false);
    const { stdout } = await run(file, argv);
    if (stdout.trim() !== '1') await this.run('createdb', [...conn, database]);
  }

  runSync(bin: string, args: string[]): void {
    const [file, argv] = this.command(bin, args);
    try {
      execFileSync(file, argv, { cwd: '/', stdio: 'ignore' });
    } catch {
      // Shutting down anyway; the next start recovers from whatever state is left.
    }
  }

  /** Client tools talk TCP and may run as anyone; server tools must not run as root. */
  private command(bin: string, args: string[], serverSide = true): [string, string[]] {
    const path = join(this.binDir, bin);
    return this.asRoot && serverSide ? ['runuser', ['-u', SUPERUSER, '--', path, ...args]] : [path, args];
  }

  private logHint(bin: string): string {
    return bin === 'pg_ctl' ? ` (server log: ${join(this.dataDir, 'server.log')})` : '';
  }
}

/** The port of a server that owns this data dir and answers; clears postmaster.pid when nobody answers. */
async function runningPort(pg: PostgresCommands, dataDir: string): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  if (Number.isInteger(port) && port > 0 && (await pg.answers(port))) return port;
  // Left behind by a crash or a killed container; the recorded PID may even belong to another process by now.
  rmSync(pidFile, { force: true });
  return undefined;
}
