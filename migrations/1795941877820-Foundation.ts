import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

export class Foundation1795941877820 implements MigrationInterface {
  name = 'Foundation1795941877820';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE vendors (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
         abn char(11) NOT NULL CHECK (abn ~ '^[0-9]{11}$'),
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         updated_at timestamptz NOT NULL DEFAULT now())`,
      ...tenantTableSecuritySql('vendors', 'id'),

      `CREATE TABLE organisations (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         org_code text NOT NULL CHECK (org_code ~ '^[A-Za-z0-9]{1,20}$'),
         abn char(11) NOT NULL CHECK (abn ~ '^[0-9]{11}$'),
         legal_name text NOT NULL,
         kind text NOT NULL CHECK (kind IN ('RTO', 'higher_education', 'tac', 'vet_related_body', 'other')),
         contact_name text,
         contact_email text,
         contact_phone text,
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT organisations_id_vendor_key UNIQUE (id, vendor_id))`,
      `CREATE UNIQUE INDEX organisations_org_code_key ON organisations (lower(org_code))`,
      `CREATE INDEX organisations_vendor_created_idx ON organisations (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('organisations'),

      // The composite foreign key keeps an authorisation on its own vendor's organisation even if code slips.
      `CREATE TABLE authorisations (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         organisation_id uuid NOT NULL,
         software_id char(10) NOT NULL CHECK (software_id ~ '^[0-9]{10}$'),
         start_date date NOT NULL,
         end_date date,
         status text NOT NULL DEFAULT 'pending'
           CHECK (status IN ('pending', 'active', 'suspended', 'revoked', 'expired')),
         last_tested_at timestamptz,
         last_test_result jsonb,
         software_id_regenerated_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT authorisations_software_id_key UNIQUE (software_id),
         CONSTRAINT authorisations_dates_check CHECK (end_date IS NULL OR end_date >= start_date),
         CONSTRAINT authorisations_organisation_fkey FOREIGN KEY (organisation_id, vendor_id)
           REFERENCES organisations (id, vendor_id) ON DELETE CASCADE)`,
      `CREATE INDEX authorisations_vendor_org_created_idx ON authorisations (vendor_id, organisation_id, created_at, id)`,
      ...tenantTableSecuritySql('authorisations'),

      `CREATE TABLE api_keys (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         name text NOT NULL,
         prefix text NOT NULL,
         key_hash char(64) NOT NULL,
         scopes text[] NOT NULL CHECK (scopes <@ ARRAY['usi:verify', 'usi:write', 'bulk', 'audit:read', 'admin']::text[]),
         organisation_ids uuid[],
         expires_at timestamptz,
         revoked_at timestamptz,
         last_used_at timestamptz,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash))`,
      `CREATE INDEX api_keys_vendor_created_idx ON api_keys (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('api_keys'),

      // vendor_id is null for platform staff, whose rows the policy therefore shows only in platform scope.
      `CREATE TABLE users (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
         organisation_id uuid,
         email text NOT NULL,
         password_hash text NOT NULL,
         roles text[] NOT NULL
           CHECK (roles <@ ARRAY['provider_admin', 'provider_user', 'vendor_admin', 'support', 'platform_admin']::text[]),
         failed_logins integer NOT NULL DEFAULT 0,
         locked_until timestamptz,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT users_organisation_fkey FOREIGN KEY (organisation_id, vendor_id)
           REFERENCES organisations (id, vendor_id) ON DELETE CASCADE)`,
      `CREATE UNIQUE INDEX users_email_key ON users (lower(email))`,
      `CREATE INDEX users_vendor_created_idx ON users (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('users'),

      `CREATE TABLE sessions (
         id char(64) PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
         expires_at timestamptz NOT NULL,
         revoked_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()))`,
      `CREATE INDEX sessions_vendor_user_idx ON sessions (vendor_id, user_id)`,
      ...tenantTableSecuritySql('sessions'),

      // Not tenant data: keyed by a hash of (email, client address) before anyone is authenticated.
      `CREATE TABLE login_attempts (
         key char(64) PRIMARY KEY,
         failures integer NOT NULL,
         window_started_at timestamptz NOT NULL,
         locked_until timestamptz)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['login_attempts', 'sessions', 'users', 'api_keys', 'authorisations', 'organisations', 'vendors']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
