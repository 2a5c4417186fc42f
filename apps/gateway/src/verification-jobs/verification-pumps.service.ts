import { Inject, Injectable, Optional } from '@nestjs/common';
import { ClsService, CLS_ID } from 'nestjs-cls';
import type { Verification, VerificationResponse } from '@usi/contract';
import { AuditService } from '../audit/audit.service';
import type { AuditEventInput } from '../audit/audit.types';
import { AppError } from '../common/errors/app-error';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { WebhookEvents } from '../common/webhook-events/webhook-events';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { JobDataSealer } from '../jobs/job-data.sealer';
import { BulkPumps } from '../jobs/bulk-pumps.service';
import { JobPumps, RETRYABLE_JOB_ERRORS } from '../jobs/job-pumps';
import { BatchOutcome, batchOutcome } from '../jobs/batch-outcome';
import type { SendableRow } from '../jobs/job-row.checker';
import type { ClaimedBatch } from '../jobs/job.types';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { OrganisationAccess } from '../usi/access/organisation-access.service';
import { UsiService } from '../usi/usi.service';
import { BatchResult } from './verification-batch.types';
import { VerificationJobRepository } from './verification-job.repository';

export const VERIFICATION_JOBS = 'verification-jobs';
/** Retryable upstream failures (timeout, unavailable) before a batch is given up as failed. */
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 2_000;

type VerificationRow = SendableRow<Omit<Verification, 'recordId'>>;

/**
 * Sends verification batches as BulkVerifyUSI calls (the pumps themselves: `JobPumps`).
 *
 * Crash safety: a batch is recorded `sending` (with a lease) before it is sent and `done` with its result after.
 * A worker killed mid-batch leaves one batch per pump in `sending`; when its lease passes another pump sends it
 * again. BulkVerifyUSI is read-only, so that resend is harmless; the first stored answer wins.
 */
@Injectable()
export class VerificationPumps extends JobPumps {
  constructor(
    pumps: BulkPumps,
    scheduled: ScheduledJobs,
    private readonly repo: VerificationJobRepository,
    private readonly sealer: JobDataSealer,
    private readonly usi: UsiService,
    private readonly access: OrganisationAccess,
    private readonly cls: ClsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() webhooks?: WebhookEvents,
  ) {
    super(
      { name: VERIFICATION_JOBS, path: 'verification-jobs', events: { completed: 'verification_job.completed', failed: 'verification_job.failed' } },
      pumps,
      scheduled,
      repo,
      config,
      webhooks,
    );
  }

  protected get environment(): string {
    return this.usi.environment;
  }

  protected async send(batch: ClaimedBatch, chain: boolean): Promise<ClaimedBatch | undefined> {
    const { vendorId, jobId, batchNo } = batch;
    const input = await this.sealer.open<VerificationRow[]>(vendorId, jobId, `input:${batchNo}`, batch.input as never);
    let result: BatchResult;
    // The call's exchange outcome commits with the batch's finish (or its retry), not in a transaction of its own.
    const outcomes: AuditEventInput[] = [];
    try {
      const target = await this.access.requireActiveForJob(vendorId, batch.orgCode);
      const verifications = input.map((r) => ({ ...r.value, recordId: r.row }) as Verification);
      const store = { [CLS_ID]: `verification-job:${jobId}:${batchNo}`, ...this.audit.holdOutcomesIn(outcomes) };
      const response = await this.cls.runWith(store, () => {
        this.context.setAuditFields({ operation: 'BulkVerifyUSI', organisationId: target.organisation.id, recordCount: input.length });
        return this.usi.call('BulkVerifyUSI', target, { orgCode: target.organisation.orgCode, noOfVerifications: verifications.length, verifications });
      });
      result = { responses: response.verificationResponses };
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'internal.error';
      if (RETRYABLE_JOB_ERRORS.has(code) && batch.attempts < MAX_ATTEMPTS) {
        this.logger.warn({ msg: 'verification batch will be retried', jobId, batchNo, attempt: batch.attempts, code });
        await this.audit.appendHeld(outcomes);
        await this.repo.retryLater(vendorId, jobId, batchNo, RETRY_BASE_MS * 2 ** (batch.attempts - 1));
        return undefined;
      }
      this.logger.warn({ msg: 'verification batch failed', jobId, batchNo, code });
      result = { errorCode: code };
    }
    const sealed = await this.sealer.seal(vendorId, jobId, `result:${batchNo}`, result);
    const { ended, next } = await this.repo.finishBatch(vendorId, jobId, batchNo, sealed, outcomeOf(input, result), {
      errorCode: 'errorCode' in result ? result.errorCode : undefined,
      alsoCommit: (m) => this.audit.appendHeld(outcomes, m),
      claimNext: chain ? this.chainedClaim() : undefined,
    });
    await this.announce(ended);
    return next;
  }
}

function outcomeOf(input: VerificationRow[], result: BatchResult): BatchOutcome {
  const answers = 'errorCode' in result ? undefined : (result.responses as VerificationResponse[]);
  return batchOutcome(input.map((r) => r.row), answers, (r) => Number(r.recordId), (r) => r.usiStatus);
}
