import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { migrateQueueSchema } from '../queue/queue-schema';
import { dataSourceOptions, MIGRATIONS_TABLE } from './data-source-options';

export interface MigrateOptions {
  /** Owner connection: creates tables, policies and the application role. */
  migrationUrl: string;
  /** Role the application connects as: LOGIN, NOBYPASSRLS, DML only. */
  appRole: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Tables the application may only append to and read (the audit trail). */
export const APPEND_ONLY_TABLES = ['audit_events'] as const;
/** Tables whose rows the application writes once and may delete when they expire, but never rewrites. */
export const WRITE_ONCE_TABLES = ['audit_raw_exchanges'] as const;

/** Same server and database as `url`, connecting as `role` (trust or peer auth, or a password set elsewhere). */
export function appRoleUrl(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  return u.toString();
}

/** Runs pending migrations as the owner and (re)grants the application role. Returns the migrations run. */
export async function migrate({ migrationUrl, appRole }: MigrateOptions): Promise<string[]> {
  if (!IDENTIFIER.test(appRole)) throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  const dataSource = new DataSource(dataSourceOptions(migrationUrl));
  await dataSource.initialize();
  try {
    // Roles are cluster-wide: parallel test databases race to create the same one.
    await dataSource.query(`DO $$ BEGIN CREATE ROLE ${appRole} LOGIN NOBYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    const [{ db }] = await dataSource.query(`select current_database() as db`);
    await dataSource.query(`GRANT CONNECT ON DATABASE "${db}" TO ${appRole}`);
    await dataSource.query(`GRANT USAGE ON SCHEMA public TO ${appRole}`);
    await dataSource.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole}`);
    await dataSource.query(`REVOKE ALL ON ${MIGRATIONS_TABLE} FROM ${appRole}`);
    for (const table of APPEND_ONLY_TABLES) {
      await dataSource.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM ${appRole}`);
    }
    for (const table of WRITE_ONCE_TABLES) {
      await dataSource.query(`REVOKE UPDATE, TRUNCATE ON ${table} FROM ${appRole}`);
    }
    // Partitions are reached through their parent, whose RLS policies do not apply to a partition queried directly.
    const partitions: { name: string }[] = await dataSource.query(
      `select format('%I', c.relname) as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relkind = 'p'`,
    );
    for (const { name } of partitions) await dataSource.query(`REVOKE ALL ON ${name} FROM ${appRole}`);
    await migrateQueueSchema(migrationUrl, appRole);
    return ran.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  const config = loadConfig(process.env);
  migrate({ migrationUrl: config.database.migrationUrl, appRole: config.database.appRole }).then(
    (ran) => {
      process.stdout.write(`migrations applied: ${ran.length ? ran.join(', ') : 'none pending'}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
