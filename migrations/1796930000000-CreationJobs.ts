import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Bulk creation jobs (apps/gateway/src/creation-jobs): the same shape as verification jobs (a job row with counts,
 * batches of at most 500 applications as key-provider envelopes, claimed with a lease), plus what the asynchronous
 * BulkUpload → BulkUploadRetrieve exchange needs on a batch: the `request_id` sent with the upload (the same on a
 * resend, so the registry answers with the same receipt), the `receipt_number`, stored before the first poll so that a
 * restart resumes polling instead of uploading again, and the count of polls so far (the backoff). Tenant tables (RLS).
 */
export class CreationJobs1796930000000 implements MigrationInterface {
  name = 'CreationJobs1796930000000';

  async up(q: QueryRunner): Promise<void> {
    // The same columns, checks, defaults and indexes as the verification tables as they stand at this migration
    // (LIKE copies all but the foreign keys, added after), so the two kinds of job cannot drift apart by a typo.
    const copy = 'INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES';
    const statements = [
      `CREATE TABLE creation_jobs (LIKE verification_jobs ${copy})`,
      `ALTER TABLE creation_jobs
         ADD FOREIGN KEY (vendor_id) REFERENCES vendors(id) ON DELETE CASCADE,
         ADD FOREIGN KEY (organisation_id) REFERENCES organisations(id) ON DELETE CASCADE`,
      `CREATE TABLE creation_job_batches (LIKE verification_job_batches ${copy})`,
      `ALTER TABLE creation_job_batches
         ADD FOREIGN KEY (job_id) REFERENCES creation_jobs(id) ON DELETE CASCADE,
         ADD FOREIGN KEY (vendor_id) REFERENCES vendors(id) ON DELETE CASCADE,
         ADD COLUMN receipt_number text,
         ADD COLUMN uploaded_at timestamptz,
         ADD COLUMN polls integer NOT NULL DEFAULT 0`,
      ...tenantTableSecuritySql('creation_jobs'),
      ...tenantTableSecuritySql('creation_job_batches'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS creation_job_batches`);
    await q.query(`DROP TABLE IF EXISTS creation_jobs`);
  }
}
