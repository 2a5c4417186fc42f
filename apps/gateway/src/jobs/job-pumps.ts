import { Logger, OnModuleInit } from '@nestjs/common';
import type { WebhookEvents, WebhookEventType } from '../common/webhook-events/webhook-events';
import type { AppConfig } from '../config/app-config';
import type { VendorId } from '../database/vendor-id';
import type { ScheduledJobs } from '../queue/scheduled-jobs.service';
import type { BulkPumps } from './bulk-pumps.service';
import type { JobRepository } from './job.repository';
import type { ClaimedBatch, JobRow } from './job.types';

const RETENTION_EVERY_MS = 60 * 60_000;
/** Upstream failures worth another try of the same step (timeout, unavailable): retried with backoff, a few times. */
export const RETRYABLE_JOB_ERRORS = new Set(['upstream.timeout', 'upstream.unavailable', 'upstream.circuit_open', 'database.unavailable']);

/** A kind of job's name (its scheduled retention job is `<name>-retention`), its path and the events of its end. */
export interface PumpKind {
  name: string;
  /** The collection under `/v1/organisations/{orgCode}/`, for the event's links. */
  path: string;
  /** The event per end state; an end state without one is not announced. */
  events: Partial<Record<'completed' | 'failed', WebhookEventType>>;
}

/**
 * The worker side of a kind of job: what to do with one claimed batch (`send`), its retention, and the event that
 * announces a job's end. The pumps that claim batches are shared by every kind (`BulkPumps`), so one cap bounds a
 * vendor's job traffic whatever the mix of kinds.
 */
export abstract class JobPumps implements OnModuleInit {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(
    private readonly kind: PumpKind,
    private readonly pumps: BulkPumps,
    private readonly scheduled: ScheduledJobs,
    private readonly store: JobRepository,
    protected readonly config: AppConfig,
    private readonly webhooks: WebhookEvents | undefined,
  ) {}

  /** The USI environment this process serves. */
  protected abstract get environment(): string;
  /**
   * Works on one claimed batch and records what happened (finished, retry later); never throws for upstream failures.
   * With `chain`, it may claim the kind's next batch with the record (`chainedClaim`) and return it.
   */
  protected abstract send(batch: ClaimedBatch, chain: boolean): Promise<ClaimedBatch | undefined>;

  onModuleInit(): void {
    this.pumps.register({
      environment: () => this.environment,
      claim: (vendorId, environment) => this.store.claimNext(vendorId, environment, this.pumps.leaseMs),
      send: (batch, chain) => this.send(batch, chain),
      vendorsWithWork: () => this.store.vendorsWithWork(),
    });
    this.scheduled.register(`${this.kind.name}-retention`, RETENTION_EVERY_MS, () => this.purge());
  }

  /** What `JobRepository.finishBatch` needs to claim the next batch in its transaction, as the pumps would. */
  protected chainedClaim(): { environment: string; leaseMs: number } {
    return { environment: this.environment, leaseMs: this.pumps.leaseMs };
  }

  /** Starts the vendor's pumps (shared by every kind) that are not already running or waiting. */
  wake(vendorId: VendorId, environment: string): Promise<void> {
    return this.pumps.wake(vendorId, environment);
  }

  /** Wakes the vendor's pumps once a batch of this kind is due again (a poll, a retry); `key` names the occasion. */
  protected wakeLater(vendorId: VendorId, environment: string, delayMs: number, key: string): Promise<void> {
    return this.pumps.wakeLater(vendorId, environment, delayMs, key);
  }

  async purge(): Promise<void> {
    const purged = await this.store.purgeData(this.config.jobs.retentionDays);
    if (purged) this.logger.log({ msg: `${this.kind.name}: inputs and results deleted after retention`, jobs: purged });
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
