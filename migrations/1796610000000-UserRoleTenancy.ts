import { MigrationInterface, QueryRunner } from 'typeorm';

const PLATFORM_ROLES = `ARRAY['platform_support', 'platform_admin']::text[]`;
const ROLES = `ARRAY['provider_admin', 'provider_user', 'vendor_admin', 'support', 'platform_support', 'platform_admin']::text[]`;
const OLD_ROLES = `ARRAY['provider_admin', 'provider_user', 'vendor_admin', 'support', 'platform_admin']::text[]`;

/**
 * Two support roles instead of one: `support` belongs to a vendor and sees that vendor's tenants only;
 * `platform_support` (no vendor) works for the platform operator and reads across vendors. Platform roles go with no
 * vendor and vendor roles with one, now a constraint rather than a convention.
 *
 * Existing rows: a vendorless `support` was platform staff in all but name and becomes `platform_support`. Any other
 * role on the wrong side (a platform role on a vendor's user, a vendor role on a vendorless one) is removed — each
 * either granted cross-vendor access by mistake or never worked — and the count is raised as a NOTICE.
 */
export class UserRoleTenancy1796610000000 implements MigrationInterface {
  name = 'UserRoleTenancy1796610000000';

  async up(q: QueryRunner): Promise<void> {
    await platformScope(q);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_roles_check`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${ROLES})`);
    await q.query(`UPDATE users SET roles = array_replace(roles, 'support', 'platform_support')
                   WHERE vendor_id IS NULL AND 'support' = ANY (roles)`);
    await q.query(`DO $$
      DECLARE n integer;
      BEGIN
        UPDATE users SET roles = ARRAY(SELECT r FROM unnest(roles) r WHERE (r = ANY (${PLATFORM_ROLES})) = (vendor_id IS NULL))
         WHERE EXISTS (SELECT 1 FROM unnest(roles) r WHERE (r = ANY (${PLATFORM_ROLES})) <> (vendor_id IS NULL));
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN RAISE NOTICE 'UserRoleTenancy: removed misplaced roles from % user(s)', n; END IF;
      END $$`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_role_tenancy_check CHECK (
      CASE WHEN vendor_id IS NULL THEN roles <@ ${PLATFORM_ROLES} ELSE NOT (roles && ${PLATFORM_ROLES}) END)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await platformScope(q);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_role_tenancy_check`);
    await q.query(`UPDATE users SET roles = array_replace(roles, 'platform_support', 'support') WHERE 'platform_support' = ANY (roles)`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_roles_check`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${OLD_ROLES})`);
  }
}

/** `users` has FORCE ROW LEVEL SECURITY: an owner that is not a superuser sees every row only in the platform scope. */
async function platformScope(q: QueryRunner): Promise<void> {
  await q.query(`SELECT set_config('app.platform_scope', 'on', true), set_config('app.scope_reason', 'migration UserRoleTenancy', true)`);
}
