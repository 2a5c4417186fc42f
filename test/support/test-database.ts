import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { appRoleUrl, migrate } from '@gateway/database/migrate';
import { personalValuesIn } from './personal-test-data';

export const TEST_APP_ROLE = 'usi_gateway_app';

export interface TestDatabase {
  name: string;
  /** Owner (superuser) connection: sees everything, for setup and for asserting what is stored. */
  ownerUrl: string;
  /** The application role: NOBYPASSRLS, DML only. */
  appUrl: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<void> {
  await queryAs(ADMIN_URL, sql);
}

/**
 * A fresh database per test file, migrated with the real migrations, dropped afterwards. Before it is dropped its
 * audit table is scanned for the personal values the tests send (`PERSONAL_TEST_VALUES`), and `drop` fails if any is
 * there: so every audit row the gateway wrote during any test of the suite is checked, not only the privacy suite's
 * own. Rows a test wrote itself (type `test.*`, some with generated text) are not the gateway's and are skipped.
 *
 * The database is a copy of a template migrated once (`migratedTemplate`): copying takes a fraction of the seconds
 * running every migration again takes, which over some 150 files was minutes of `npm test`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `usi_gateway_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}`);
  const ownerUrl = withDatabase(ADMIN_URL, name);
  // Database privileges are not copied with the template.
  await queryAs(ownerUrl, `GRANT CONNECT ON DATABASE ${name} TO ${TEST_APP_ROLE}`);
  return {
    name,
    ownerUrl,
    appUrl: appRoleUrl(ownerUrl, TEST_APP_ROLE),
    drop: async () => {
      let leaks: { value: string; row: string }[] = [];
      try {
        leaks = await personalDataInAudit(ownerUrl);
      } finally {
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      if (leaks.length) throw new Error(`personal test data in the audit table of ${name}: ${JSON.stringify(leaks.slice(0, 5))}`);
    },
  };
}

const REPO = join(__dirname, '..', '..');
/** Serialises template builds across jest workers (and concurrent runs from other checkouts) on one server. */
const TEMPLATE_LOCK = 7_231_001;
let template: Promise<string> | undefined;

/**
 * The name of a database migrated with this checkout's migrations, built once per server: it is named after a hash of
 * everything that shapes it (the migrations, the migration runner, the queue schema, the application role) and of
 * today's date, because the audit table's partitions are created relative to the day it was migrated. Built under a
 * different name and renamed when complete, so a run killed mid-build never leaves a half-migrated template.
 */
function migratedTemplate(): Promise<string> {
  template ??= buildTemplate().catch((err: unknown) => {
    template = undefined;
    throw err;
  });
  return template;
}

async function buildTemplate(): Promise<string> {
  const hash = createHash('sha256').update(TEST_APP_ROLE).update(new Date().toISOString().slice(0, 10));
  const shaping = [
    ...readdirSync(join(REPO, 'migrations'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort().map((f) => join('migrations', f)),
    'apps/gateway/src/database/migrate.ts',
    'apps/gateway/src/queue/queue-schema.ts',
  ];
  for (const file of shaping) hash.update(file).update(readFileSync(join(REPO, file)));
  const name = `usi_gateway_tmpl_${hash.digest('hex').slice(0, 16)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      await migrate({ migrationUrl: withDatabase(ADMIN_URL, building), appRole: TEST_APP_ROLE });
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    return name;
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
}

async function personalDataInAudit(ownerUrl: string): Promise<{ value: string; row: string }[]> {
  const rows = await queryAs<{ row: string }>(ownerUrl, `select row_to_json(e)::text as row from audit_events e where e.type not like 'test.%'`);
  return personalValuesIn(rows.map((r) => r.row));
}

/** One-shot query on a URL, for assertions that must bypass the application code. */
export async function queryAs<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const dataSource = await new DataSource({ type: 'postgres', url, extra: { max: 1 } }).initialize();
  try {
    return await dataSource.query(sql, params);
  } finally {
    await dataSource.destroy();
  }
}
