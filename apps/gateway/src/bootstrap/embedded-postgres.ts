import { chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { BootstrapError } from './bootstrap.error';
import { EmbeddedPostgresLayout, resolveLayout } from './embedded-postgres.layout';
import { freePort } from './free-port';
import { findPostgresBinaries, PostgresBinSource } from './postgres-binaries';
import { isPostgresProcess } from './postgres-process';
import { PostgresServerCommands } from './postgres-server.commands';

const SUPERUSER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** The project's state folder (record, passwords, and the cluster itself unless running as root); default `./.data`. */
  baseDir?: string;
  /** Parent of the cluster's folder when running as root; default /var/lib/usi-gateway. */
  stateRoot?: string;
  /** Preferred port; the next free one is taken when it is busy. Default 5433, beside a system cluster on 5432. */
  port?: number;
  database?: string;
  /** POSTGRES_BIN_DIR */
  binDir?: string;
  /** POSTGRES_BIN_SOURCE */
  binSource?: PostgresBinSource;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Owner (superuser) URL, with its password: for migrations and the demo seed, not for the application role. */
  url: string;
  port: number;
  dataDir: string;
  /** Where the server binaries came from: `explicit` (POSTGRES_BIN_DIR), `system` or `npm`. */
  binSource: string;
  /** False when an already running server was re-used; `stop()` then leaves it alone. */
  started: boolean;
  /** Gives `role` a password of its own (made up once, kept in the record) and returns its URL. */
  loginUrl(role: string): Promise<string>;
  stop(): Promise<void>;
  /**
   * Last resort for an exit without an orderly `stop()` (a crash, a plain process.exit()): stops the server
   * synchronously. Signals are the caller's to handle, so it can close the app first and choose the exit code.
   */
  stopOnProcessExit(): void;
}

/**
 * A private Postgres for `npm start` without DATABASE_URL. Password authentication (scram-sha-256) on loopback
 * and a socket in a private folder, so other local users cannot walk in as superuser.
 * Idempotent: an initialised cluster is kept, a running server is re-used, a stale postmaster.pid is cleared.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'usi_gateway';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) {
    throw new BootstrapError('bootstrap.postgres_bad_name', `Invalid database name ${database}`);
  }
  const binaries = findPostgresBinaries({ explicit: options.binDir, source: options.binSource });
  const layout = resolveLayout({ baseDir: options.baseDir ?? './.data', stateRoot: options.stateRoot });
  const pg = new PostgresServerCommands(binaries.dir, layout.dataDir, layout.runAs);
  pg.ownDir(layout.stateDir);
  pg.ownDir(layout.dataDir);
  pg.ownDir(layout.socketDir);
  await pg.ensureRunnable(layout.stateDir);
  log(`server binaries: ${pg.binaries} (${binaries.source})${layout.runAs ? `, run as ${layout.runAs.name}` : ''}`);

  const superPassword = layout.password(SUPERUSER);
  const versionFile = join(layout.dataDir, 'PG_VERSION');
  if (!existsSync(versionFile)) {
    log(`initialising a Postgres cluster in ${layout.dataDir}`);
    await initdb(pg, layout, superPassword);
  }
  await checkSameMajor(readFileSync(versionFile, 'utf8').trim(), await pg.majorVersion(), layout.dataDir, binaries.source);

  const urlFor = (port: number, user: string, password: string): string =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let port = await runningPort(layout, superPassword);
  const started = port === undefined;
  if (port === undefined) {
    port = await freePort(options.port ?? 5433, 'Postgres');
    log(`starting Postgres on 127.0.0.1:${port}`);
    const serverOptions = `-p ${port} -k '${layout.socketDir}' -c listen_addresses=127.0.0.1`;
    await pg.run('pg_ctl', ['-D', layout.dataDir, '-l', join(layout.dataDir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
  } else {
    log(`re-using the Postgres already running on 127.0.0.1:${port}`);
  }
  const serverPort = port;
  await withAdmin(serverPort, superPassword, async (admin) => {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // The name matched a plain-identifier pattern above, so it is safe in the statement.
    if (!found.rowCount) await admin.query(`CREATE DATABASE ${database}`);
  });

  let stopped = !started;
  const stopArgs = ['-D', layout.dataDir, '-m', 'fast', '-w', 'stop'];
  return {
    url: urlFor(serverPort, SUPERUSER, superPassword),
    port: serverPort,
    dataDir: layout.dataDir,
    binSource: binaries.source,
    started,
    async loginUrl(role: string): Promise<string> {
      if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new BootstrapError('bootstrap.postgres_bad_name', `Invalid role name ${role}`);
      const password = layout.password(role);
      await withAdmin(serverPort, superPassword, (admin) =>
        // ALTER ROLE takes no bind parameters; the password is base64url, so it needs no quoting beyond the quotes.
        admin.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD '${password}'`),
      );
      return urlFor(serverPort, role, password);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await pg.run('pg_ctl', stopArgs);
    },
    stopOnProcessExit(): void {
      process.once('exit', () => {
        if (!stopped) pg.runSync('pg_ctl', stopArgs);
      });
    },
  };
}

/** A cluster only runs under the major version that made it; say so rather than let pg_ctl call it corrupt. */
async function checkSameMajor(cluster: string, binaries: number, dataDir: string, source: string): Promise<void> {
  if (Number(cluster) === binaries) return;
  throw new BootstrapError(
    'bootstrap.postgres_version_mismatch',
    `The cluster in ${dataDir} was made by PostgreSQL ${cluster}, but the server binaries found (${source}) are PostgreSQL ${binaries}. ` +
      'Point POSTGRES_BIN_SOURCE (system|npm) or POSTGRES_BIN_DIR at the binaries that made it, or run `npm run reset` to start a new demo.',
  );
}

async function initdb(pg: PostgresServerCommands, layout: EmbeddedPostgresLayout, password: string): Promise<void> {
  // initdb reads the password from a file its user can open; it lives only for the length of the call.
  const pwfile = join(layout.stateDir, '.initdb-password');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (layout.runAs) chownSync(pwfile, layout.runAs.uid, layout.runAs.gid);
    await pg.run('initdb', ['-D', layout.dataDir, '-U', SUPERUSER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale']);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The port of a server that owns this data dir and lets us in; clears a postmaster.pid nobody owns any more. */
async function runningPort(layout: EmbeddedPostgresLayout, password: string): Promise<number | undefined> {
  const pidFile = join(layout.dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const port = Number(portLine);
  if (Number.isInteger(port) && port > 0 && (await answers(port, password))) return port;
  const pid = Number(pidLine);
  if (isPostgresProcess(pid)) {
    throw new BootstrapError(
      'bootstrap.postgres_busy',
      `A Postgres server (PID ${pid}) owns ${layout.dataDir} but does not answer on port ${portLine}; stop it or run \`npm run reset\``,
    );
  }
  // Left behind by a crash or a killed container; the recorded PID may even belong to another process by now.
  rmSync(pidFile, { force: true });
  return undefined;
}

async function answers(port: number, password: string): Promise<boolean> {
  try {
    await withAdmin(port, password, async () => undefined);
    return true;
  } catch {
    return false;
  }
}

async function withAdmin<T>(port: number, password: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 5000 });
  // A server that drops the connection mid-way must reject the call, not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
