import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { JobRepository } from '../jobs/job.repository';

/** Bulk verification jobs and their BulkVerifyUSI batches (`verification_jobs`, `verification_job_batches`). */
@Injectable()
export class VerificationJobRepository extends JobRepository {
  constructor(tx: TenantTransaction) {
    super(tx, { jobs: 'verification_jobs', batches: 'verification_job_batches', label: 'verification jobs' });
  }
}
