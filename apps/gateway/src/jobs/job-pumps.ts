import { Logger, OnModuleInit } from '@nestjs/common';
import type { WebhookEvents, WebhookEventType } from '../common/webhook-events/webhook-events';
import type { AppConfig } from '../config/app-config';
import type { VendorId } from '../database/vendor-id';
import type { JobQueue } from '../queue/job-queue';
import type { ScheduledJobs } from '../queue/scheduled-jobs.service';
import type { JobRepository } from './job.repository';
import type { ClaimedBatch, JobRow } from './job.types';

/** Pumps (of all vendors) one worker process runs at once, per kind of job. */
const WORKER_CONCURRENCY = 16;
const WAKE_EVERY_MS = 30_000;
const RETENTION_EVERY_MS = 60 * 60_000;
/** Upstream failures worth another try of the same step (timeout, unavailable): retried with backoff, a few times. */
export const RETRYABLE_JOB_ERRORS = new Set(['upstream.timeout', 'upstream.unavailable', 'upstream.circuit_open', 'database.unavailable']);

interface PumpData {
  vendorId: VendorId;
  environment: string;
}

/** A kind of job's queue, the prefix of its scheduled jobs, and the events that announce its end. */
export interface PumpKind {
  /** The queue name; also the prefix of its scheduled jobs (`<queue>-wake`, `<queue>-retention`). */
  queue: string;
  /** The collection under `/v1/organisations/{orgCode}/`, for the event's links. */
  path: string;
  /** The event per end state; an end state without one is not announced. */
  events: Partial<Record<'completed' | 'failed', WebhookEventType>>;
}

/**
 * Sends a kind of job's batches. Upstream fairness: a vendor has at most `JOBS_UPSTREAM_CONCURRENCY` pumps per USI
 * environment and kind, across all workers — each pump is a queue job with a fixed id `pump-<vendor>-<env>-<slot>`,
 * and the queue keeps one job per id. A pump claims the vendor's next batch (round-robin across its organisations, see
 * `JobRepository.claimNext`), works on it (`send`), and claims again until nothing is left. Pumps of other vendors run
 * beside it, so one vendor's 100,000 rows never hold back another's.
 *
 * Interactive calls do not queue behind jobs: they go straight from their request to the registry, and job calls
 * are bounded by the pump count, never by a shared queue in front of the interactive path.
 */
export abstract class JobPumps implements OnModuleInit {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(
    private readonly kind: PumpKind,
    private readonly queue: JobQueue,
    private readonly scheduled: ScheduledJobs,
    private readonly store: JobRepository,
    protected readonly config: AppConfig,
    private readonly webhooks: WebhookEvents | undefined,
  ) {}

  /** The USI environment this process serves. */
  protected abstract get environment(): string;
  /** Works on one claimed batch and records what happened (finished, retry later); never throws for upstream failures. */
  protected abstract send(batch: ClaimedBatch): Promise<void>;

  /** How long a claim is held: longer than one piece of work on a batch, or a slow batch would look like a dead worker. */
  protected get leaseMs(): number {
    return this.config.usi.timeoutMs + 15_000;
  }

  onModuleInit(): void {
    this.queue.process<PumpData>(
      this.kind.queue,
      (job) => (job.name === 'wake' ? this.wake(job.data.vendorId, job.data.environment) : this.pump(job.data)),
      { concurrency: WORKER_CONCURRENCY, lockMs: this.leaseMs },
    );
    // Wakes pumps for work a finished pump could not see (added as it was ending, not due yet) or left by a dead worker.
    this.scheduled.register(`${this.kind.queue}-wake`, WAKE_EVERY_MS, () => this.wakeAll());
    this.scheduled.register(`${this.kind.queue}-retention`, RETENTION_EVERY_MS, () => this.purge());
  }

  /** Starts the vendor's pumps that are not already running or waiting (ids deduplicate). */
  async wake(vendorId: VendorId, environment: string): Promise<void> {
    for (let slot = 0; slot < this.config.jobs.upstreamConcurrency; slot++) {
      await this.queue.add(this.kind.queue, 'pump', { vendorId, environment }, {
        jobId: `pump-${vendorId}-${environment}-${slot}`,
        removeWhenDone: true,
      });
    }
  }

  /**
   * Wakes the vendor's pumps once `delayMs` has passed (a batch that is due later: a poll, a retry), without waiting
   * for the periodic wake. `key` names the occasion, so the same occasion is queued once.
   */
  protected async wakeLater(vendorId: VendorId, environment: string, delayMs: number, key: string): Promise<void> {
    await this.queue.add(this.kind.queue, 'wake', { vendorId, environment }, { jobId: `wake-${key}`, delayMs, removeWhenDone: true });
  }

  async wakeAll(): Promise<void> {
    for (const { vendorId, environment } of await this.store.vendorsWithWork()) await this.wake(vendorId, environment);
  }

  async purge(): Promise<void> {
    const purged = await this.store.purgeData(this.config.jobs.retentionDays);
    if (purged) this.logger.log({ msg: `${this.kind.queue}: inputs and results deleted after retention`, jobs: purged });
  }

  /** Runs until the vendor has no batch left to claim in this environment. */
  async pump({ vendorId, environment }: PumpData): Promise<void> {
    if (environment !== this.environment) return; // another environment's workers serve it
    for (;;) {
      const batch = await this.store.claimNext(vendorId, environment, this.leaseMs);
      if (!batch) return;
      await this.send(batch);
    }
  }

  /** Announces a job its last batch ended (ids, counts, org code and links only), once per job. */
  protected async announce(job: JobRow | undefined): Promise<void> {
    const type = job && (job.state === 'completed' || job.state === 'failed') ? this.kind.events[job.state] : undefined;
    if (!job || !type) return;
    const self = `/v1/organisations/${job.orgCode}/${this.kind.path}/${job.id}`;
    await this.webhooks?.emit(
      job.vendorId,
      type,
      {
        jobId: job.id,
        organisationId: job.organisationId,
        orgCode: job.orgCode,
        state: job.state,
        counts: { total: job.totalRows, willSend: job.willSend, cannotSend: job.cannotSend, answered: job.answered, failed: job.failedRows, ...job.outcomeCounts },
        links: { self, results: `${self}/results` },
        finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
      },
      { dedupeKey: `${type}:${job.id}` },
    );
  }
}
