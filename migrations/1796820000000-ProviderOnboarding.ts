import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

const ROLES = `ARRAY['provider_admin', 'provider_viewer', 'vendor_admin', 'support', 'platform_support', 'platform_admin']::text[]`;
const OLD_ROLES = `ARRAY['provider_admin', 'provider_user', 'vendor_admin', 'support', 'platform_support', 'platform_admin']::text[]`;

/**
 * What a training provider's self-service onboarding needs (apps/gateway/src/providers):
 * - `users.name` and `users.email_verified_at`: a provider signs up on its own and can do nothing until the emailed
 *   link proves the address. Accounts made before (seeds, staff tooling) count as verified when they were created.
 *   A new provider has no vendor until it registers its organisation: `vendor_id` NULL and no role, which the role
 *   tenancy check already allows (an empty role list is within the platform roles).
 * - `provider_user` becomes `provider_viewer`, the read-only member of a provider's team.
 * - `user_tokens`: single-use tokens (email verification, team invitations), stored as SHA-256 only. A tenant table;
 *   a token of a user without vendor (verification) has a NULL `vendor_id`, visible only in the platform scope.
 * - `connection_test_attempts`: every connection test of an authorisation with its result, for the RAM step's list.
 */
export class ProviderOnboarding1796820000000 implements MigrationInterface {
  name = 'ProviderOnboarding1796820000000';

  async up(q: QueryRunner): Promise<void> {
    await platformScope(q);
    const statements = [
      `ALTER TABLE users ADD COLUMN name text CHECK (length(name) BETWEEN 1 AND 200)`,
      `ALTER TABLE users ADD COLUMN email_verified_at timestamptz`,
      `UPDATE users SET email_verified_at = created_at`,
      `ALTER TABLE users DROP CONSTRAINT users_roles_check`,
      `UPDATE users SET roles = array_replace(roles, 'provider_user', 'provider_viewer') WHERE 'provider_user' = ANY (roles)`,
      `ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${ROLES})`,

      `CREATE TABLE user_tokens (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         token_hash char(64) NOT NULL,
         purpose text NOT NULL CHECK (purpose IN ('email_verification', 'team_invitation')),
         vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
         organisation_id uuid,
         user_id uuid REFERENCES users(id) ON DELETE CASCADE,
         email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
         role text CHECK (role IN ('provider_admin', 'provider_viewer')),
         created_by text,
         expires_at timestamptz NOT NULL,
         used_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT user_tokens_token_hash_key UNIQUE (token_hash),
         CONSTRAINT user_tokens_organisation_fkey FOREIGN KEY (organisation_id, vendor_id)
           REFERENCES organisations (id, vendor_id) ON DELETE CASCADE,
         CONSTRAINT user_tokens_shape_check CHECK (
           CASE purpose WHEN 'email_verification' THEN user_id IS NOT NULL
                        ELSE organisation_id IS NOT NULL AND role IS NOT NULL END))`,
      `CREATE INDEX user_tokens_organisation_idx ON user_tokens (vendor_id, organisation_id, created_at)`,
      ...tenantTableSecuritySql('user_tokens'),

      `CREATE TABLE connection_test_attempts (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         authorisation_id uuid NOT NULL REFERENCES authorisations(id) ON DELETE CASCADE,
         software_id char(10) NOT NULL,
         tested_at timestamptz NOT NULL,
         ok boolean NOT NULL,
         code text CHECK (length(code) <= 100),
         detail text CHECK (length(detail) <= 500),
         environment text NOT NULL)`,
      `CREATE INDEX connection_test_attempts_authorisation_idx ON connection_test_attempts (authorisation_id, tested_at DESC)`,
      ...tenantTableSecuritySql('connection_test_attempts'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await platformScope(q);
    await q.query(`DROP TABLE IF EXISTS connection_test_attempts`);
    await q.query(`DROP TABLE IF EXISTS user_tokens`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_roles_check`);
    await q.query(`UPDATE users SET roles = array_replace(roles, 'provider_viewer', 'provider_user') WHERE 'provider_viewer' = ANY (roles)`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ${OLD_ROLES})`);
    await q.query(`ALTER TABLE users DROP COLUMN email_verified_at, DROP COLUMN name`);
  }
}

/** `users` has FORCE ROW LEVEL SECURITY: an owner that is not a superuser sees every row only in the platform scope. */
async function platformScope(q: QueryRunner): Promise<void> {
  await q.query(`SELECT set_config('app.platform_scope', 'on', true), set_config('app.scope_reason', 'migration ProviderOnboarding', true)`);
}
