import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An org code is unique per vendor, no longer across the platform. A training provider may notify several cloud
 * software services in RAM, so each of its vendors registers the same code; a platform-wide index let the first
 * vendor block every other one, and its 409 told a vendor that another tenant held the code (a unique index sees
 * through row-level security). Which vendor may act for the provider is proven by the RAM connection test, not by
 * who registered the code first.
 *
 * The new index also serves the lookups, which are all by (vendor_id, lower(org_code)). The RLS policy is unchanged.
 * `down` restores the platform-wide index and so fails, on purpose, once two vendors share a code.
 */
export class OrgCodeUniquePerVendor1796600000000 implements MigrationInterface {
  name = 'OrgCodeUniquePerVendor1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX organisations_vendor_org_code_key ON organisations (vendor_id, lower(org_code))`);
    await q.query(`DROP INDEX organisations_org_code_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX organisations_org_code_key ON organisations (lower(org_code))`);
    await q.query(`DROP INDEX organisations_vendor_org_code_key`);
  }
}
