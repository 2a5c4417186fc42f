import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { JobRepository, returned } from '../jobs/job.repository';

/**
 * Bulk creation jobs and their BulkUpload batches (`creation_jobs`, `creation_job_batches`). A batch is claimed like a
 * verification batch (`claimNext`, with a lease) for each step: the upload, then each poll. Its receipt number is
 * stored as soon as the registry gives it, before the first poll: a batch with a receipt is only ever polled again,
 * never uploaded again. Cancelling a job stops its uploads, not the polls of batches already uploaded.
 */
@Injectable()
export class CreationJobRepository extends JobRepository {
  constructor(tx: TenantTransaction) {
    super(tx, {
      jobs: 'creation_jobs',
      batches: 'creation_job_batches',
      label: 'creation jobs',
      // The registry creates an uploaded batch's USIs whatever happens here: a cancelled job still collects them.
      afterCancel: (b) => `${b}.receipt_number is not null`,
    });
  }

  /** The claimed batch's receipt, when it was uploaded already. */
  async receiptOf(vendorId: VendorId, jobId: string, batchNo: number): Promise<{ receiptNumber: string | null; polls: number }> {
    const [row] = await this.tx.runInTenant(vendorId, (m) =>
      m.query(`select receipt_number as "receiptNumber", polls from creation_job_batches where vendor_id = $1 and job_id = $2 and batch_no = $3`, [
        vendorId, jobId, batchNo,
      ]),
    );
    return row ?? { receiptNumber: null, polls: 0 };
  }

  /**
   * Records the receipt of an upload and hands the batch back for its first poll after `pollInMs`. Kept only while the
   * batch is still ours (`sending`) and has no receipt yet; the first receipt stored wins.
   */
  async storeReceipt(vendorId: VendorId, jobId: string, batchNo: number, receiptNumber: string, pollInMs: number): Promise<boolean> {
    const rows = await this.tx.runInTenant(vendorId, (m) =>
      returned(m.query(
        `update creation_job_batches
            set receipt_number = $4, uploaded_at = now(), state = 'pending', attempts = 0, lease_until = null,
                not_before = now() + make_interval(secs => $5::double precision / 1000)
          where vendor_id = $1 and job_id = $2 and batch_no = $3 and state = 'sending' and receipt_number is null
          returning batch_no`,
        [vendorId, jobId, batchNo, receiptNumber, pollInMs],
      )),
    );
    return rows.length > 0;
  }

  /** The registry has no results yet: poll again after `delayMs` (the backoff grows with `polls`). */
  async pollLater(vendorId: VendorId, jobId: string, batchNo: number, delayMs: number): Promise<void> {
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `update creation_job_batches
            set state = 'pending', attempts = 0, polls = polls + 1, lease_until = null,
                not_before = now() + make_interval(secs => $4::double precision / 1000)
          where vendor_id = $1 and job_id = $2 and batch_no = $3 and state = 'sending'`,
        [vendorId, jobId, batchNo, delayMs],
      ),
    );
  }
}
