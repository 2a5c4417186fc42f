import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BootstrapError } from './bootstrap.error';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The directory holding initdb/pg_ctl/postgres: an explicit choice, else `pg_config --bindir`, else the newest
 * Debian `/usr/lib/postgresql/<major>/bin`. pg_config alone is not enough: libpq-dev ships it without a server.
 */
export function findPostgresBinDir(explicit?: string): string {
  const candidates = explicit ? [explicit] : [pgConfigBinDir(), ...debianBinDirs()];
  const found = candidates.find((dir): dir is string => !!dir && hasServer(dir));
  if (!found) {
    throw new BootstrapError(
      'bootstrap.postgres_missing',
      explicit
        ? `No PostgreSQL server binaries (initdb, pg_ctl, postgres) in ${explicit}`
        : 'No PostgreSQL server binaries found (looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin). ' +
            'Install them (Debian/Ubuntu: `apt-get install -y postgresql`) or set DATABASE_URL to an existing database.',
    );
  }
  return found;
}

function hasServer(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(join(dir, bin)));
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
