import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Idempotency keys of the non-read USI operations, per vendor, kept 24 h. The stored response replays a retried
 * request without a second upstream call. `migrate` grants the application role DML on it like every table.
 */
export class IdempotencyKeys1796200000000 implements MigrationInterface {
  name = 'IdempotencyKeys1796200000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE idempotency_keys (
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
         request_hash char(64) NOT NULL,
         status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
         response_status integer,
         response_body jsonb,
         response_headers jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         completed_at timestamptz,
         expires_at timestamptz NOT NULL,
         PRIMARY KEY (vendor_id, key),
         CONSTRAINT idempotency_keys_completed_check CHECK (status = 'in_progress' OR response_status IS NOT NULL))`,
      `CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`,
      ...tenantTableSecuritySql('idempotency_keys'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
