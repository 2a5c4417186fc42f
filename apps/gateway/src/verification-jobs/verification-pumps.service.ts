import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ClsService, CLS_ID } from 'nestjs-cls';
import type { Verification, VerificationResponse } from '@usi/contract';
import { AppError } from '../common/errors/app-error';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { VendorId } from '../database/vendor-id';
import { JobQueue } from '../queue/job-queue';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { OrganisationAccess } from '../usi/access/organisation-access.service';
import { UsiService } from '../usi/usi.service';
import { JobDataSealer } from './job-data.sealer';
import { BatchOutcome, VerificationJobRepository } from './verification-job.repository';
import { BatchInputRow, BatchResult, ClaimedBatch } from './verification-job.types';

export const VERIFICATION_QUEUE = 'verification-jobs';
const PUMP = 'pump';
/** Pumps (of all vendors) one worker process runs at once. */
const WORKER_CONCURRENCY = 16;
/** Retryable upstream failures (timeout, unavailable) before a batch is given up as failed. */
const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 2_000;
const WAKE_EVERY_MS = 30_000;
const RETENTION_EVERY_MS = 60 * 60_000;
const RETRYABLE = new Set(['upstream.timeout', 'upstream.unavailable', 'upstream.circuit_open', 'database.unavailable']);

interface PumpData {
  vendorId: VendorId;
  environment: string;
}

/**
 * Sends verification batches. Upstream fairness: a vendor has at most `JOBS_UPSTREAM_CONCURRENCY` pumps per USI
 * environment, across all workers — each pump is a queue job with a fixed id `pump-<vendor>-<env>-<slot>`, and the
 * queue keeps one job per id. A pump claims the vendor's next batch (round-robin across its organisations, see
 * `claimNext`), sends it, stores the answer, and claims again until nothing is left. Pumps of other vendors run
 * beside it, so one vendor's 100,000 rows never hold back another's.
 *
 * Interactive calls do not queue behind jobs: they go straight from their request to the registry, and job calls
 * are bounded by the pump count, never by a shared queue in front of the interactive path.
 *
 * Crash safety: a batch is recorded `sending` (with a lease) before it is sent and `done` with its result after.
 * A worker killed mid-batch leaves one batch per pump in `sending`; when its lease passes another pump sends it
 * again. BulkVerifyUSI is read-only, so that resend is harmless; the first stored answer wins.
 */
@Injectable()
export class VerificationPumps implements OnModuleInit {
  private readonly logger = new Logger(VerificationPumps.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly scheduled: ScheduledJobs,
    private readonly repo: VerificationJobRepository,
    private readonly sealer: JobDataSealer,
    private readonly usi: UsiService,
    private readonly access: OrganisationAccess,
    private readonly cls: ClsService,
    private readonly context: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // The lock must outlive one batch (the USI deadline) or a slow batch would look like a dead worker.
    this.queue.process<PumpData>(VERIFICATION_QUEUE, (job) => this.pump(job.data), {
      concurrency: WORKER_CONCURRENCY,
      lockMs: this.config.usi.timeoutMs + 15_000,
    });
    // Wakes pumps for work a finished pump could not see (added as it was ending) or left by a dead worker.
    this.scheduled.register('verification-jobs-wake', WAKE_EVERY_MS, () => this.wakeAll());
    this.scheduled.register('verification-jobs-retention', RETENTION_EVERY_MS, () => this.purge());
  }

  /** Starts the vendor's pumps that are not already running or waiting (ids deduplicate). */
  async wake(vendorId: VendorId, environment: string): Promise<void> {
    for (let slot = 0; slot < this.config.jobs.upstreamConcurrency; slot++) {
      await this.queue.add(VERIFICATION_QUEUE, PUMP, { vendorId, environment }, {
        jobId: `pump-${vendorId}-${environment}-${slot}`,
        removeWhenDone: true,
      });
    }
  }

  async wakeAll(): Promise<void> {
    for (const { vendorId, environment } of await this.repo.vendorsWithWork()) await this.wake(vendorId, environment);
  }

  async purge(): Promise<void> {
    const purged = await this.repo.purgeData(this.config.jobs.retentionDays);
    if (purged) this.logger.log({ msg: 'verification job inputs and results deleted after retention', jobs: purged });
  }

  /** Runs until the vendor has no batch left to claim in this environment. */
  async pump({ vendorId, environment }: PumpData): Promise<void> {
    if (environment !== this.usi.environment) return; // another environment's workers serve it
    for (;;) {
      const batch = await this.repo.claimNext(vendorId, environment, this.config.usi.timeoutMs + 15_000);
      if (!batch) return;
      await this.send(batch);
    }
  }

  private async send(batch: ClaimedBatch): Promise<void> {
    const { vendorId, jobId, batchNo } = batch;
    const input = await this.sealer.open<BatchInputRow[]>(vendorId, jobId, `input:${batchNo}`, batch.input as never);
    let result: BatchResult;
    try {
      const target = await this.access.requireActiveForJob(vendorId, batch.orgCode);
      const verifications = input.map((r) => ({ ...r.verification, recordId: r.row }) as Verification);
      const response = await this.cls.runWith({ [CLS_ID]: `verification-job:${jobId}:${batchNo}` }, () => {
        this.context.setAuditFields({ operation: 'BulkVerifyUSI', organisationId: target.organisation.id, recordCount: input.length });
        return this.usi.call('BulkVerifyUSI', target, { orgCode: target.organisation.orgCode, noOfVerifications: verifications.length, verifications });
      });
      result = { responses: response.verificationResponses };
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'internal.error';
      if (RETRYABLE.has(code) && batch.attempts < MAX_ATTEMPTS) {
        this.logger.warn({ msg: 'verification batch will be retried', jobId, batchNo, attempt: batch.attempts, code });
        return this.repo.retryLater(vendorId, jobId, batchNo, RETRY_BASE_MS * 2 ** (batch.attempts - 1));
      }
      this.logger.warn({ msg: 'verification batch failed', jobId, batchNo, code });
      result = { errorCode: code };
    }
    const sealed = await this.sealer.seal(vendorId, jobId, `result:${batchNo}`, result);
    await this.repo.finishBatch(vendorId, jobId, batchNo, sealed, outcomeOf(input, result), 'errorCode' in result ? result.errorCode : undefined);
  }
}

function outcomeOf(input: BatchInputRow[], result: BatchResult): BatchOutcome {
  if ('errorCode' in result) return { answered: 0, failedRows: input.length, outcomes: {} };
  const outcomes: Record<string, number> = {};
  const rows = new Set(input.map((r) => r.row));
  let answered = 0;
  for (const r of result.responses as VerificationResponse[]) {
    if (!rows.delete(Number(r.recordId))) continue;
    answered += 1;
    outcomes[r.usiStatus] = (outcomes[r.usiStatus] ?? 0) + 1;
  }
  return { answered, failedRows: rows.size, outcomes };
}
