import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Optional raw SOAP retention (AUDIT_RAW_RETENTION_DAYS > 0): the exact request and response of a USI exchange,
 * encrypted by the key provider (AAD: exchange id + vendor), kept until `expires_at` for dispute resolution. Rows are
 * written once and deleted by the purge job; a trigger rejects UPDATE even for the owner, so the application can only
 * insert, read and delete them.
 */
export class AuditRawExchanges1796310000000 implements MigrationInterface {
  name = 'AuditRawExchanges1796310000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE audit_raw_exchanges (
         exchange_id uuid PRIMARY KEY,
         vendor_id uuid NOT NULL REFERENCES vendors (id),
         organisation_id uuid,
         request_id text,
         operation text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         envelope jsonb NOT NULL)`,
      `CREATE INDEX audit_raw_exchanges_expires_idx ON audit_raw_exchanges (expires_at)`,
      ...tenantTableSecuritySql('audit_raw_exchanges'),
      `CREATE FUNCTION audit_raw_exchanges_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit_raw_exchanges rows are never changed (UPDATE rejected)' USING ERRCODE = 'insufficient_privilege';
       END $$`,
      `CREATE TRIGGER audit_raw_exchanges_no_update BEFORE UPDATE ON audit_raw_exchanges
         FOR EACH ROW EXECUTE FUNCTION audit_raw_exchanges_reject_update()`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_raw_exchanges`);
    await q.query(`DROP FUNCTION IF EXISTS audit_raw_exchanges_reject_update`);
  }
}
