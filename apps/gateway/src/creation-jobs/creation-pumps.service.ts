import { Inject, Injectable, Optional } from '@nestjs/common';
import { ClsService, CLS_ID } from 'nestjs-cls';
import { isRequestIdReused, isStillProcessing, type Application, type ApplicationResponse, type ErrorInfo } from '@usi/contract';
import { AuditService } from '../audit/audit.service';
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
import { OrganisationAccess, UsiTarget } from '../usi/access/organisation-access.service';
import { UsiService } from '../usi/usi.service';
import { upstreamErrorInfoOf } from '../upstream/upstream-error.mapper';
import { CreationBatchResult } from './creation-batch.types';
import { CreationJobRepository } from './creation-job.repository';
import type { ApplicationValue } from './creation-row.validator';

export const CREATION_JOBS = 'creation-jobs';
/** Retryable upstream failures of one step (the upload, or one poll) before the batch is given up as failed. */
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 2_000;
/** Polling backoff: first poll this long after the upload, doubling up to the cap, given up after MAX_POLLS. */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 5 * 60_000;
const MAX_POLLS = 60;
/** How the registry refuses a RequestId it has seen before (ErrorInfo 1002). */

type CreationRow = SendableRow<ApplicationValue>;

/**
 * Sends creation batches: each is uploaded once with BulkUpload, then polled with BulkUploadRetrieve, with backoff,
 * until the registry has its results. Every step is one claim of the batch (`JobPumps`, with a lease).
 *
 * Never twice: the receipt number is stored the moment BulkUpload answers, before any poll, so a worker killed after
 * that only leaves a batch to poll again. A worker killed during the upload itself (after sending, before storing
 * the receipt) leaves the batch to be uploaded again when its lease passes: it is sent with the same RequestId
 * (`<job>:<batch>`), which the registry answers with the receipt of the first upload, not a second set of records.
 */
@Injectable()
export class CreationPumps extends JobPumps {
  constructor(
    pumps: BulkPumps,
    scheduled: ScheduledJobs,
    private readonly repo: CreationJobRepository,
    private readonly sealer: JobDataSealer,
    private readonly usi: UsiService,
    private readonly access: OrganisationAccess,
    private readonly cls: ClsService,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() webhooks?: WebhookEvents,
  ) {
    super({ name: CREATION_JOBS, path: 'creation-jobs', events: { completed: 'creation_job.completed' } }, pumps, scheduled, repo, config, webhooks);
  }

  protected get environment(): string {
    return this.usi.environment;
  }

  /** Creation batches are not chained: each claim is one step (an upload or a poll) with its own timing. */
  protected async send(batch: ClaimedBatch): Promise<undefined> {
    await this.step(batch);
    return undefined;
  }

  private async step(batch: ClaimedBatch): Promise<void> {
    const { vendorId, jobId, batchNo } = batch;
    const input = await this.sealer.open<CreationRow[]>(vendorId, jobId, `input:${batchNo}`, batch.input as never);
    const { receiptNumber, polls } = await this.repo.receiptOf(vendorId, jobId, batchNo);
    let result: CreationBatchResult;
    try {
      const target = await this.access.requireActiveForJob(vendorId, batch.orgCode);
      if (!receiptNumber) return await this.upload(batch, target, input);
      const retrieved = await this.retrieve(batch, target, receiptNumber, polls);
      if (!retrieved) return;
      result = { applications: retrieved.applications };
      await this.audit.recordIssuedUsis(
        { vendorId, organisationId: target.organisation.id, requestId: requestIdOf(jobId, batchNo), operation: 'BulkUploadRetrieve' },
        retrieved.applications.filter((a) => a.usi).map((a) => ({ usi: a.usi!, result: a.result })),
      );
    } catch (err) {
      const code = receiptNumber ? codeOf(err) : uploadCodeOf(err);
      if (RETRYABLE_JOB_ERRORS.has(code) && batch.attempts < MAX_ATTEMPTS) {
        this.logger.warn({ msg: 'creation batch step will be retried', jobId, batchNo, attempt: batch.attempts, code, uploaded: !!receiptNumber });
        const delayMs = RETRY_BASE_MS * 2 ** (batch.attempts - 1);
        await this.repo.retryLater(vendorId, jobId, batchNo, delayMs);
        return this.wakeLater(vendorId, this.environment, delayMs, `${jobId}-${batchNo}-r${polls}-${batch.attempts}`);
      }
      this.logger.warn({ msg: 'creation batch failed', jobId, batchNo, code, uploaded: !!receiptNumber });
      result = { errorCode: code };
    }
    const sealed = await this.sealer.seal(vendorId, jobId, `result:${batchNo}`, result);
    const { ended } = await this.repo.finishBatch(vendorId, jobId, batchNo, sealed, outcomeOf(input, result), { errorCode: 'errorCode' in result ? result.errorCode : undefined });
    await this.announce(ended);
  }

  /** BulkUpload, then the receipt is stored at once and the first poll scheduled. */
  private async upload(batch: ClaimedBatch, target: UsiTarget, input: CreationRow[]): Promise<void> {
    const { vendorId, jobId, batchNo } = batch;
    const applications = input.map((r) => ({ ...r.value, applicationId: String(r.row) }) as Application);
    const response = await this.cls.runWith({ [CLS_ID]: `creation-job:${jobId}:${batchNo}` }, () => {
      this.context.setAuditFields({ operation: 'BulkUpload', organisationId: target.organisation.id, recordCount: input.length });
      return this.usi.call('BulkUpload', target, {
        orgCode: target.organisation.orgCode,
        requestId: requestIdOf(jobId, batchNo),
        noOfApplications: applications.length,
        applications,
      });
    });
    await this.repo.storeReceipt(vendorId, jobId, batchNo, response.receiptNumber, FIRST_POLL_MS);
    this.logger.log({ msg: 'creation batch uploaded; results will be polled', jobId, batchNo });
    await this.wakeLater(vendorId, this.environment, FIRST_POLL_MS, `${jobId}-${batchNo}-p0`);
  }

  /** The results, or undefined when the registry is still processing them (the next poll is then scheduled). */
  private async retrieve(batch: ClaimedBatch, target: UsiTarget, receiptNumber: string, polls: number) {
    const { vendorId, jobId, batchNo } = batch;
    try {
      return await this.cls.runWith({ [CLS_ID]: `creation-job:${jobId}:${batchNo}:poll-${polls + 1}` }, () => {
        this.context.setAuditFields({ operation: 'BulkUploadRetrieve', organisationId: target.organisation.id, recordCount: 1 });
        return this.usi.call('BulkUploadRetrieve', target, { receiptNumber });
      });
    } catch (err) {
      if (!stillProcessing(err) || polls + 1 >= MAX_POLLS) throw err;
      const delayMs = Math.min(MAX_POLL_MS, FIRST_POLL_MS * 2 ** (polls + 1));
      await this.repo.pollLater(vendorId, jobId, batchNo, delayMs);
      await this.wakeLater(vendorId, this.environment, delayMs, `${jobId}-${batchNo}-p${polls + 1}`);
      return undefined;
    }
  }
}

/**
 * The registry's "not processed yet" answer to BulkUploadRetrieve: a Generic Validation fault (ErrorInfo 1002, problem
 * `usi.validation`) with that text, as `isStillProcessing` of the contract reads it; the registry documents no code of
 * its own for it. Any other fault, or this text under another code, is a failure of the poll.
 */
export function stillProcessing(err: unknown): boolean {
  return isValidationFault(err, isStillProcessing);
}

/** A Generic Validation fault from the registry (problem `usi.validation` with its ErrorInfo) that `is` recognises. */
function isValidationFault(err: unknown, is: (info: ErrorInfo) => boolean): boolean {
  if (!(err instanceof AppError) || err.code !== 'usi.validation') return false;
  const info = upstreamErrorInfoOf(err);
  return info !== undefined && is(info);
}

function codeOf(err: unknown): string {
  return err instanceof AppError ? err.code : 'internal.error';
}

/**
 * An upload sent again after its answer was lost (a timeout, a crash before the receipt was stored) carries the same
 * RequestId. The simulator replays the first receipt; the registry refuses a reused RequestId: the applications were
 * accepted once and their receipt is unknown, so the batch ends with this code rather than being sent under a new id.
 */
export function uploadCodeOf(err: unknown): string {
  return isValidationFault(err, isRequestIdReused) ? 'creation_job.upload_unconfirmed' : codeOf(err);
}

/** The RequestId of a batch's upload: the same on every resend of that batch (RequestId is at most 20 characters). */
export function requestIdOf(jobId: string, batchNo: number): string {
  return `${jobId.replace(/-/g, '').slice(0, 14)}-${batchNo}`;
}

function outcomeOf(input: CreationRow[], result: CreationBatchResult): BatchOutcome {
  const answers = 'errorCode' in result ? undefined : (result.applications as ApplicationResponse[]);
  return batchOutcome(input.map((r) => r.row), answers, (a) => Number(a.applicationId), (a) => a.result);
}
