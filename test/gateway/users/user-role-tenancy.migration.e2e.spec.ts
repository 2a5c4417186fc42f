import { DataSource } from 'typeorm';
import { UserRoleTenancy1796610000000 } from '../../../migrations/1796610000000-UserRoleTenancy';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const INSERT_USER = `insert into users (vendor_id, email, password_hash, roles) values ($1, $2, 'x', $3) returning id`;
const insertUser = (vendorId: string | null, email: string, roles: string[]): [string, unknown[]] => [INSERT_USER, [vendorId, email, roles]];

describe('migration UserRoleTenancy: support split in two, platform roles only without a vendor', () => {
  let db: TestDatabase;
  let owner: DataSource;
  let vendorId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await new DataSource({ type: 'postgres', url: db.ownerUrl, extra: { max: 1 } }).initialize();
    [{ id: vendorId }] = await owner.query(`insert into vendors (name, abn) values ('V', '11000002568') returning id`);
  }, 60_000);
  afterAll(async () => {
    await owner?.destroy();
    await db?.drop();
  });

  const rolesOf = async (email: string): Promise<string[]> =>
    (await owner.query(`select roles from users where email = $1`, [email]))[0].roles;

  it('turns vendorless support into platform_support and strips roles from the wrong side, then enforces it', async () => {
    const migration = new UserRoleTenancy1796610000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await runner.query(...insertUser(null, 'staff@ops.example', ['support']));
      await runner.query(...insertUser(vendorId, 'help@vendor.example', ['support']));
      await runner.query(...insertUser(vendorId, 'odd@vendor.example', ['vendor_admin', 'platform_admin']));
      await runner.query(...insertUser(null, 'orphan@ops.example', ['vendor_admin']));
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await rolesOf('staff@ops.example')).toEqual(['platform_support']);
    expect(await rolesOf('help@vendor.example')).toEqual(['support']);
    expect(await rolesOf('odd@vendor.example')).toEqual(['vendor_admin']);
    expect(await rolesOf('orphan@ops.example')).toEqual([]);

    await expect(owner.query(...insertUser(vendorId, 'a@vendor.example', ['platform_support']))).rejects.toThrow(/users_role_tenancy_check/);
    await expect(owner.query(...insertUser(null, 'b@ops.example', ['support']))).rejects.toThrow(/users_role_tenancy_check/);
    await expect(owner.query(...insertUser(vendorId, 'c@vendor.example', ['root']))).rejects.toThrow(/users_roles_check/);
    await owner.query(...insertUser(null, 'd@ops.example', ['platform_support', 'platform_admin']));
  });
});
