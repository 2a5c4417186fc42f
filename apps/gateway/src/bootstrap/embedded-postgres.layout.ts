import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BootstrapError } from './bootstrap.error';

/**
 * Where a root-run embedded Postgres keeps its data: Postgres refuses to run as root, and the unprivileged user
 * that runs it cannot enter a checkout under a private (0700) folder such as /root or a `mktemp -d` directory.
 * Nothing else outside the project folder is written.
 */
export const ROOT_STATE_ROOT = '/var/lib/usi-gateway';
const RECORD_FILE = 'embedded-postgres.json';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** What `.data/embedded-postgres.json` (0600) remembers between starts; passwords never leave this file and the server. */
interface LayoutRecord {
  stateDir: string;
  osUser?: string;
  passwords: Record<string, string>;
}

export interface EmbeddedPostgresLayout {
  /** The project's `.data`: the record (with the passwords) stays here, owner-only. */
  baseDir: string;
  /** Holds `pg/` (the cluster) and `socket/`; `baseDir` itself unless we run as root. */
  stateDir: string;
  dataDir: string;
  socketDir: string;
  /** The OS user the server runs as when we are root; undefined when we run it as ourselves. */
  runAs?: OsUser;
  /** The password of a database role, made up (and remembered) on first use. */
  password(role: string): string;
}

export interface LayoutOptions {
  baseDir: string;
  /** Parent of the per-checkout state folders when running as root; tests point it elsewhere. */
  stateRoot?: string;
  asRoot?: boolean;
}

/** Reads the layout recorded by an earlier start, or lays out a new one and records it. */
export function resolveLayout(options: LayoutOptions): EmbeddedPostgresLayout {
  const baseDir = resolve(options.baseDir);
  mkdirSync(baseDir, { recursive: true });
  const recordPath = join(baseDir, RECORD_FILE);
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  const record = readRecord(recordPath) ?? newRecord(baseDir, asRoot, options.stateRoot ?? ROOT_STATE_ROOT);
  const runAs = asRoot ? osUser(record.osUser ?? unprivilegedUserName()) : undefined;
  if (runAs) record.osUser = runAs.name;
  writeRecord(recordPath, record);

  return {
    baseDir,
    stateDir: record.stateDir,
    dataDir: join(record.stateDir, 'pg'),
    socketDir: join(record.stateDir, 'socket'),
    runAs,
    password(role: string): string {
      if (!record.passwords[role]) {
        record.passwords[role] = randomBytes(24).toString('base64url');
        writeRecord(recordPath, record);
      }
      return record.passwords[role];
    },
  };
}

/** The state folder recorded for this checkout, if any: what `npm run reset` removes besides `.data`. */
export function recordedStateDir(baseDir: string): string | undefined {
  return readRecord(join(resolve(baseDir), RECORD_FILE))?.stateDir;
}

function newRecord(baseDir: string, asRoot: boolean, stateRoot: string): LayoutRecord {
  if (!asRoot) return { stateDir: baseDir, passwords: {} };
  mkdirSync(stateRoot, { recursive: true, mode: 0o755 });
  // Traversable so the server's user can reach its own folder below it; each folder below is that user's, 0700.
  chmodSync(stateRoot, 0o755);
  return { stateDir: join(stateRoot, randomBytes(8).toString('hex')), passwords: {} };
}

function readRecord(path: string): LayoutRecord | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LayoutRecord>;
    if (typeof parsed.stateDir !== 'string' || typeof parsed.passwords !== 'object' || !parsed.passwords) throw new Error('shape');
    return parsed as LayoutRecord;
  } catch {
    throw new BootstrapError('bootstrap.postgres_record_unreadable', `${path} is unreadable; run \`npm run reset\` to start over`);
  }
}

function writeRecord(path: string, record: LayoutRecord): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** `postgres` where the distribution made one, else `nobody`, which every Linux and macOS system has. */
function unprivilegedUserName(): string {
  return tryOsUser('postgres') ? 'postgres' : 'nobody';
}

function osUser(name: string): OsUser {
  const user = tryOsUser(name);
  if (!user) {
    throw new BootstrapError('bootstrap.postgres_no_user', `Running as root, the embedded Postgres needs the OS user ${name}, which does not exist`);
  }
  return user;
}

function tryOsUser(name: string): OsUser | undefined {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}
