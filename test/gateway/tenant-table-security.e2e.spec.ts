import { TEST_APP_ROLE, createTestDatabase, queryAs, TestDatabase } from '../support/test-database';

/**
 * Schema-level proof of the tenant model, independent of any route: every table carrying a vendor column is
 * RLS-enabled, RLS-forced and guarded by a policy on `app.vendor_id`, and the application role can use it.
 */
describe('tenant table security (fresh migrated database)', () => {
  let db: TestDatabase;
  let tenantTables: { table: string; rowsecurity: boolean; forced: boolean }[];

  beforeAll(async () => {
    db = await createTestDatabase();
    tenantTables = await queryAs(
      db.ownerUrl,
      `select c.relname as "table", c.relrowsecurity as rowsecurity, c.relforcerowsecurity as forced
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
          and (c.relname = 'vendors' or exists (select 1 from pg_attribute a
                where a.attrelid = c.oid and a.attname = 'vendor_id' and not a.attisdropped))
        order by 1`,
    );
  });
  afterAll(() => db.drop());

  it('finds the foundation tenant tables', () => {
    expect(tenantTables.map((t) => t.table)).toEqual(
      expect.arrayContaining(['api_keys', 'authorisations', 'm2m_credentials', 'organisations', 'sessions', 'users', 'vendors']),
    );
  });

  it('enables and forces row-level security on every tenant table', () => {
    expect(tenantTables.filter((t) => !t.rowsecurity || !t.forced)).toEqual([]);
  });

  it('guards every tenant table with a policy on app.vendor_id for reads and writes', async () => {
    const policies = await queryAs<{ tablename: string; cmd: string; qual: string | null; with_check: string | null }>(
      db.ownerUrl,
      `select tablename, cmd, qual, with_check from pg_policies where schemaname = 'public'`,
    );
    for (const { table } of tenantTables) {
      const own = policies.filter((p) => p.tablename === table);
      const reads = own.filter((p) => ['ALL', 'SELECT'].includes(p.cmd) && p.qual?.includes('app.vendor_id'));
      const writes = own.filter((p) => ['ALL', 'INSERT'].includes(p.cmd) && p.with_check?.includes('app.vendor_id'));
      expect({ table, reads: reads.length > 0, writes: writes.length > 0 }).toEqual({ table, reads: true, writes: true });
    }
  });

  it('grants the application role access to the tenant tables without ownership', async () => {
    const grants = await queryAs<{ table_name: string }>(
      db.ownerUrl,
      `select distinct table_name from information_schema.role_table_grants
        where table_schema = 'public' and grantee = $1 and privilege_type = 'SELECT'`,
      [TEST_APP_ROLE],
    );
    const owners = await queryAs<{ owner: string }>(
      db.ownerUrl,
      `select distinct tableowner as owner from pg_tables where schemaname = 'public' and tablename = any($1)`,
      [tenantTables.map((t) => t.table)],
    );
    expect(grants.map((g) => g.table_name)).toEqual(expect.arrayContaining(tenantTables.map((t) => t.table)));
    expect(owners.map((o) => o.owner)).not.toContain(TEST_APP_ROLE);
  });
});
