import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Credential lifecycle (issue 17): an upload is stored `pending` and becomes `active` only once the ATO token service
 * has issued a token for it, so a bad keystore never replaces a working one. Organisations may connect with a
 * machine credential of their own (`connection_mode = 'direct'`, no ActAs) instead of the vendor's (`my_cloud`).
 *
 * - `m2m_credentials.status` gains `pending` (the new default); `activated_at` is null until activation.
 * - `organisation_id`: null for the vendor's credential, else the organisation whose own credential it is (direct
 *   mode). One active credential per vendor and one per organisation (two partial unique indexes).
 * - `last_check`: the outcome of the latest token check (`{ at, ok, code?, reason?, message?, upstream? }`), so a
 *   pending credential says why it is pending. `warnings`: what the upload noticed (e.g. a renamed credential).
 * - `credential_expiry_warnings`: which of the 60/30/7/1-day warnings were sent for a credential, one row each
 *   (the primary key makes each warning once across instances). RLS like every tenant table.
 * - Cache triggers: a credential's status change (and an organisation's mode change) sends `credential:<vendor_id>`,
 *   on which every instance drops that vendor's cached credentials and STS tokens.
 */
export class CredentialLifecycle1796700000000 implements MigrationInterface {
  name = 'CredentialLifecycle1796700000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE m2m_credentials DROP CONSTRAINT m2m_credentials_status_check`,
      `ALTER TABLE m2m_credentials ADD CONSTRAINT m2m_credentials_status_check
         CHECK (status IN ('pending', 'active', 'superseded', 'revoked'))`,
      `ALTER TABLE m2m_credentials ALTER COLUMN status SET DEFAULT 'pending'`,
      `ALTER TABLE m2m_credentials ALTER COLUMN activated_at DROP NOT NULL, ALTER COLUMN activated_at DROP DEFAULT`,
      `ALTER TABLE m2m_credentials ADD CONSTRAINT m2m_credentials_activated_check CHECK (status <> 'active' OR activated_at IS NOT NULL)`,
      `ALTER TABLE m2m_credentials ADD COLUMN organisation_id uuid`,
      // Composite key: an organisation's credential always belongs to that organisation's own vendor.
      `ALTER TABLE m2m_credentials ADD CONSTRAINT m2m_credentials_organisation_fkey FOREIGN KEY (organisation_id, vendor_id)
         REFERENCES organisations (id, vendor_id) ON DELETE CASCADE`,
      `ALTER TABLE m2m_credentials ADD COLUMN last_check jsonb`,
      `ALTER TABLE m2m_credentials ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb`,
      `DROP INDEX m2m_credentials_one_active_key`,
      `CREATE UNIQUE INDEX m2m_credentials_one_active_vendor_key ON m2m_credentials (vendor_id)
         WHERE status = 'active' AND organisation_id IS NULL`,
      `CREATE UNIQUE INDEX m2m_credentials_one_active_organisation_key ON m2m_credentials (organisation_id)
         WHERE status = 'active' AND organisation_id IS NOT NULL`,
      `CREATE INDEX m2m_credentials_organisation_created_idx ON m2m_credentials (organisation_id, created_at, id)
         WHERE organisation_id IS NOT NULL`,

      `CREATE TABLE credential_expiry_warnings (
         credential_id uuid NOT NULL REFERENCES m2m_credentials(id) ON DELETE CASCADE,
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         days_before integer NOT NULL CHECK (days_before > 0),
         sent_at timestamptz NOT NULL,
         PRIMARY KEY (credential_id, days_before))`,
      `CREATE INDEX credential_expiry_warnings_vendor_idx ON credential_expiry_warnings (vendor_id)`,
      ...tenantTableSecuritySql('credential_expiry_warnings'),

      `ALTER TABLE organisations ADD COLUMN connection_mode text NOT NULL DEFAULT 'my_cloud'
         CHECK (connection_mode IN ('my_cloud', 'direct'))`,

      `CREATE TRIGGER m2m_credentials_cache_invalidation AFTER UPDATE OF status ON m2m_credentials FOR EACH ROW
       WHEN (OLD.status IS DISTINCT FROM NEW.status)
       EXECUTE FUNCTION notify_cache_invalidation('credential', 'vendor_id')`,
      `CREATE TRIGGER m2m_credentials_cache_invalidation_insert AFTER INSERT ON m2m_credentials FOR EACH ROW
       WHEN (NEW.status = 'active')
       EXECUTE FUNCTION notify_cache_invalidation('credential', 'vendor_id')`,
      `CREATE TRIGGER m2m_credentials_cache_invalidation_delete AFTER DELETE ON m2m_credentials FOR EACH ROW
       WHEN (OLD.status = 'active')
       EXECUTE FUNCTION notify_cache_invalidation('credential', 'vendor_id')`,
      `CREATE TRIGGER organisations_connection_mode_invalidation AFTER UPDATE OF connection_mode ON organisations FOR EACH ROW
       WHEN (OLD.connection_mode IS DISTINCT FROM NEW.connection_mode)
       EXECUTE FUNCTION notify_cache_invalidation('credential', 'vendor_id')`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  /** Fails, on purpose, while an organisation holds a credential or a credential is pending: delete those first. */
  async down(q: QueryRunner): Promise<void> {
    const statements = [
      `DROP TRIGGER IF EXISTS organisations_connection_mode_invalidation ON organisations`,
      `DROP TRIGGER IF EXISTS m2m_credentials_cache_invalidation_delete ON m2m_credentials`,
      `DROP TRIGGER IF EXISTS m2m_credentials_cache_invalidation_insert ON m2m_credentials`,
      `DROP TRIGGER IF EXISTS m2m_credentials_cache_invalidation ON m2m_credentials`,
      `ALTER TABLE organisations DROP COLUMN connection_mode`,
      `DROP TABLE IF EXISTS credential_expiry_warnings`,
      `DROP INDEX m2m_credentials_organisation_created_idx`,
      `DROP INDEX m2m_credentials_one_active_organisation_key`,
      `DROP INDEX m2m_credentials_one_active_vendor_key`,
      `CREATE UNIQUE INDEX m2m_credentials_one_active_key ON m2m_credentials (vendor_id) WHERE status = 'active'`,
      `ALTER TABLE m2m_credentials DROP COLUMN warnings`,
      `ALTER TABLE m2m_credentials DROP COLUMN last_check`,
      `ALTER TABLE m2m_credentials DROP CONSTRAINT m2m_credentials_organisation_fkey`,
      `ALTER TABLE m2m_credentials DROP COLUMN organisation_id`,
      `ALTER TABLE m2m_credentials DROP CONSTRAINT m2m_credentials_activated_check`,
      `ALTER TABLE m2m_credentials ALTER COLUMN activated_at SET DEFAULT now(), ALTER COLUMN activated_at SET NOT NULL`,
      `ALTER TABLE m2m_credentials ALTER COLUMN status SET DEFAULT 'active'`,
      `ALTER TABLE m2m_credentials DROP CONSTRAINT m2m_credentials_status_check`,
      `ALTER TABLE m2m_credentials ADD CONSTRAINT m2m_credentials_status_check
         CHECK (status IN ('active', 'superseded', 'revoked'))`,
    ];
    for (const sql of statements) await q.query(sql);
  }
}
