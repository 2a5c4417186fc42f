import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Bulk verification jobs (apps/gateway/src/verification-jobs). A job's rows are split into batches of at most 500
 * (BulkVerifyUSI's limit); each batch row holds its input and, once answered, its result, both as key-provider
 * envelopes (names and dates of birth are personal data), deleted `JOB_RETENTION_DAYS` after the job ends while the
 * counts stay. A batch is claimed (`sending`, with a lease) before it is sent, so a crash resends at most the batches
 * in flight, once their lease has passed. Both tables are tenant tables (RLS on `vendor_id`).
 */
export class VerificationJobs1796830000000 implements MigrationInterface {
  name = 'VerificationJobs1796830000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE verification_jobs (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
         org_code text NOT NULL,
         environment text NOT NULL,
         state text NOT NULL CHECK (state IN ('validating', 'queued', 'running', 'completed', 'failed', 'cancelled')),
         total_rows integer NOT NULL DEFAULT 0,
         will_send integer NOT NULL DEFAULT 0,
         cannot_send integer NOT NULL DEFAULT 0,
         answered integer NOT NULL DEFAULT 0,
         failed_rows integer NOT NULL DEFAULT 0,
         outcome_counts jsonb NOT NULL DEFAULT '{}'::jsonb,
         batches_total integer NOT NULL DEFAULT 0,
         batches_done integer NOT NULL DEFAULT 0,
         rejects jsonb,
         error_code text,
         created_at timestamptz NOT NULL DEFAULT now(),
         started_at timestamptz,
         finished_at timestamptz,
         last_claimed_at timestamptz,
         data_deleted_at timestamptz)`,
      `CREATE INDEX verification_jobs_vendor_created_idx ON verification_jobs (vendor_id, created_at, id)`,
      `CREATE INDEX verification_jobs_finished_idx ON verification_jobs (finished_at) WHERE data_deleted_at IS NULL`,
      `CREATE TABLE verification_job_batches (
         job_id uuid NOT NULL REFERENCES verification_jobs(id) ON DELETE CASCADE,
         batch_no integer NOT NULL,
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         first_row integer NOT NULL,
         row_count integer NOT NULL CHECK (row_count BETWEEN 1 AND 500),
         state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'done', 'failed')),
         attempts integer NOT NULL DEFAULT 0,
         not_before timestamptz NOT NULL DEFAULT now(),
         lease_until timestamptz,
         input jsonb,
         result jsonb,
         error_code text,
         sent_at timestamptz,
         answered_at timestamptz,
         PRIMARY KEY (job_id, batch_no))`,
      `CREATE INDEX verification_job_batches_claim_idx ON verification_job_batches (vendor_id, state, not_before)
         WHERE state IN ('pending', 'sending')`,
      ...tenantTableSecuritySql('verification_jobs'),
      ...tenantTableSecuritySql('verification_job_batches'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS verification_job_batches`);
    await q.query(`DROP TABLE IF EXISTS verification_jobs`);
  }
}
