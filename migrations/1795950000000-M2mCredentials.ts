import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Vendors' ATO machine credentials. The private key is stored only as a key-provider envelope (jsonb); the
 * certificate chain (PEM, leaf first) is public. At most one `active` row per vendor, so rotation is an atomic swap.
 */
export class M2mCredentials1795950000000 implements MigrationInterface {
  name = 'M2mCredentials1795950000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE m2m_credentials (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         credential_id text NOT NULL CHECK (length(credential_id) BETWEEN 1 AND 200),
         abn char(11) NOT NULL CHECK (abn ~ '^[0-9]{11}$'),
         legal_name text NOT NULL,
         serial_number text NOT NULL,
         sha1_fingerprint text NOT NULL,
         not_before timestamptz NOT NULL,
         not_after timestamptz NOT NULL,
         certificate_chain text NOT NULL,
         encrypted_private_key jsonb NOT NULL,
         key_provider text NOT NULL,
         status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded', 'revoked')),
         activated_at timestamptz NOT NULL DEFAULT now(),
         superseded_at timestamptz,
         revoked_at timestamptz,
         -- Set by the expiry sweep the first time the credential is within the warning window, so it warns once.
         expiry_warned_at timestamptz,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()))`,
      `CREATE UNIQUE INDEX m2m_credentials_one_active_key ON m2m_credentials (vendor_id) WHERE status = 'active'`,
      `CREATE INDEX m2m_credentials_vendor_created_idx ON m2m_credentials (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('m2m_credentials'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS m2m_credentials`);
  }
}
