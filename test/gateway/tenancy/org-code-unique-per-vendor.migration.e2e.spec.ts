import { DataSource } from 'typeorm';
import { OrgCodeUniquePerVendor1796600000000 } from '../../../migrations/1796600000000-OrgCodeUniquePerVendor';
import { randomAbn } from '../../support/abn';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

describe('migration OrgCodeUniquePerVendor', () => {
  let db: TestDatabase;
  let owner: DataSource;
  let vendorA: string;
  let vendorB: string;

  const insertOrg = (m: { query: (sql: string, params: unknown[]) => Promise<unknown> }, vendorId: string, orgCode: string) =>
    m.query(`insert into organisations (vendor_id, org_code, abn, legal_name, kind) values ($1, $2, $3, 'P', 'RTO') returning id`, [
      vendorId,
      orgCode,
      randomAbn(),
    ]);
  const constraintOf = (p: Promise<unknown>) =>
    p.then(
      () => 'none',
      (err: { driverError?: { code?: string; constraint?: string } }) => `${err.driverError?.code}:${err.driverError?.constraint}`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await new DataSource({ type: 'postgres', url: db.ownerUrl, extra: { max: 1 } }).initialize();
    [{ id: vendorA }] = await owner.query(`insert into vendors (name, abn) values ('A', $1) returning id`, [randomAbn()]);
    [{ id: vendorB }] = await owner.query(`insert into vendors (name, abn) values ('B', $1) returning id`, [randomAbn()]);
  }, 60_000);
  afterAll(async () => {
    await owner?.destroy();
    await db?.drop();
  });

  it('lets two vendors hold one org code and refuses a duplicate within a vendor, case-insensitively', async () => {
    await insertOrg(owner, vendorA, 'SAME1');
    await insertOrg(owner, vendorB, 'same1');
    expect(await constraintOf(insertOrg(owner, vendorA, 'Same1'))).toBe('23505:organisations_vendor_org_code_key');
  });

  it("does not reveal, through the unique index, a code another vendor holds (the application role under RLS)", async () => {
    await insertOrg(owner, vendorB, 'HIDDEN1');
    const app = await new DataSource({ type: 'postgres', url: db.appUrl, extra: { max: 1 } }).initialize();
    try {
      const outcome = await app.transaction(async (m) => {
        await m.query(`select set_config('app.vendor_id', $1, true)`, [vendorA]);
        return constraintOf(insertOrg(m, vendorA, 'hidden1'));
      });
      expect(outcome).toBe('none');
    } finally {
      await app.destroy();
    }
  });

  it('goes down only once no code is shared across vendors, and up again', async () => {
    const migration = new OrgCodeUniquePerVendor1796600000000();
    const runner = owner.createQueryRunner();
    try {
      await expect(migration.down(runner)).rejects.toThrow(/could not create unique index/);
      await runner.query(`delete from organisations where vendor_id = $1`, [vendorB]);
      await migration.down(runner);
      expect(await constraintOf(insertOrg(runner, vendorB, 'same1'))).toBe('23505:organisations_org_code_key');
      await migration.up(runner);
      await insertOrg(runner, vendorB, 'same1');
      const indexes: { indexname: string }[] = await runner.query(
        `select indexname from pg_indexes where tablename = 'organisations' and indexname like '%org_code%'`,
      );
      expect(indexes.map((i) => i.indexname)).toEqual(['organisations_vendor_org_code_key']);
    } finally {
      await runner.release();
    }
  });
});
