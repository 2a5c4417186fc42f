import { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES = `ARRAY['provider_admin', 'provider_viewer', 'vendor_admin', 'vendor_developer', 'support', 'platform_support', 'platform_admin']::text[]`;
const OLD_ROLES = `ARRAY['provider_admin', 'provider_viewer', 'vendor_admin', 'support', 'platform_support', 'platform_admin']::text[]`;

/**
 * What the vendor console needs (apps/gateway/src/web/vendor):
 * - the `vendor_developer` role: a vendor's read-only member (sees the console, changes nothing);
 * - two more kinds of emailed single-use token in `user_tokens`: `vendor_invitation` (a vendor user invited to the
 *   vendor's team with a role) and `provider_invitation` (a training provider invited to sign up under the vendor,
 *   with an optional org code to pre-fill, `org_code`); `cancelled_at` marks one its vendor withdrew.
 */
export class VendorConsole1796910000000 implements MigrationInterface {
  name = 'VendorConsole1796910000000';

  async up(q: QueryRunner): Promise<void> {
    await platformScope(q);
    const statements = [
      `ALTER TABLE users DROP CONSTRAINT users_roles_check`,
      `ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${ROLES})`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check
         CHECK (purpose IN ('email_verification', 'team_invitation', 'vendor_invitation', 'provider_invitation'))`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_role_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_role_check
         CHECK (role IN ('provider_admin', 'provider_viewer', 'vendor_admin', 'vendor_developer'))`,
      `ALTER TABLE user_tokens ADD COLUMN org_code text CHECK (org_code ~ '^[A-Z0-9]{1,8}$')`,
      `ALTER TABLE user_tokens ADD COLUMN cancelled_at timestamptz`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_shape_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_shape_check CHECK (
         CASE purpose WHEN 'email_verification' THEN user_id IS NOT NULL
                      WHEN 'team_invitation' THEN organisation_id IS NOT NULL AND role IN ('provider_admin', 'provider_viewer')
                      WHEN 'vendor_invitation' THEN vendor_id IS NOT NULL AND organisation_id IS NULL AND role IN ('vendor_admin', 'vendor_developer')
                      ELSE vendor_id IS NOT NULL AND organisation_id IS NULL AND role IS NULL END)`,
      `CREATE INDEX user_tokens_vendor_purpose_idx ON user_tokens (vendor_id, purpose, created_at)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await platformScope(q);
    const statements = [
      `DELETE FROM user_tokens WHERE purpose IN ('vendor_invitation', 'provider_invitation')`,
      `DROP INDEX IF EXISTS user_tokens_vendor_purpose_idx`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_shape_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_shape_check CHECK (
         CASE purpose WHEN 'email_verification' THEN user_id IS NOT NULL ELSE organisation_id IS NOT NULL AND role IS NOT NULL END)`,
      `ALTER TABLE user_tokens DROP COLUMN cancelled_at, DROP COLUMN org_code`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_role_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_role_check CHECK (role IN ('provider_admin', 'provider_viewer'))`,
      `ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check`,
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check CHECK (purpose IN ('email_verification', 'team_invitation'))`,
      `UPDATE users SET roles = array_remove(roles, 'vendor_developer') WHERE 'vendor_developer' = ANY (roles)`,
      `ALTER TABLE users DROP CONSTRAINT users_roles_check`,
      `ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${OLD_ROLES})`,
    ];
    for (const sql of statements) await q.query(sql);
  }
}

/** `users` has FORCE ROW LEVEL SECURITY: an owner that is not a superuser sees every row only in the platform scope. */
async function platformScope(q: QueryRunner): Promise<void> {
  await q.query(`SELECT set_config('app.platform_scope', 'on', true), set_config('app.scope_reason', 'migration VendorConsole', true)`);
}
