import { randomBytes } from 'node:crypto';
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
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `usi_gateway_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const ownerUrl = withDatabase(ADMIN_URL, name);
  await migrate({ migrationUrl: ownerUrl, appRole: TEST_APP_ROLE });
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
