import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { VendorId } from '../database/vendor-id';
import { JobQueue } from '../queue/job-queue';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { isQueueUnavailable } from '../queue/queue-unavailable.error';
import type { ClaimedBatch } from './job.types';

export const BULK_JOBS_QUEUE = 'bulk-jobs';
/** Pumps (of all vendors) one worker process runs at once. */
const WORKER_CONCURRENCY = 16;
const WAKE_EVERY_MS = 30_000;
/** While another kind keeps a pump busy, a kind found without work is asked again only after this long. */
const EMPTY_KIND_RECHECK_MS = 1_000;

interface PumpData {
  vendorId: VendorId;
  environment: string;
}

/** A kind of bulk job as the pumps see it: claim its next batch for a vendor, work on it. */
export interface PumpedKind {
  environment(): string;
  claim(vendorId: VendorId, environment: string): Promise<ClaimedBatch | undefined>;
  /**
   * Works on the batch. With `chain`, the kind may claim its next batch in the transaction that records this one and
   * return it (one transaction per batch instead of two); the pump then works on it next.
   */
  send(batch: ClaimedBatch, chain: boolean): Promise<ClaimedBatch | undefined>;
  vendorsWithWork(): Promise<{ vendorId: VendorId; environment: string }[]>;
}

/**
 * The pumps every kind of bulk job shares, so that all job traffic of a vendor to the registry is capped together:
 * at most `JOBS_UPSTREAM_CONCURRENCY` pumps per vendor and USI environment, across all workers — each pump is a queue
 * job with a fixed id `pump-<vendor>-<env>-<slot>`, and the queue keeps one job per id. A pump takes one batch of each
 * kind in turn (verification, creation: neither starves the other), each the vendor's next by round-robin across its
 * organisations (`JobRepository.claimNext`), and stops when no kind has a batch to claim. Pumps of other vendors run
 * beside it, so one vendor's 100,000 rows never hold back another's.
 *
 * Interactive calls do not queue behind jobs: they go straight from their request to the registry, and job calls
 * are bounded by the pump count, never by a shared queue in front of the interactive path.
 */
@Injectable()
export class BulkPumps implements OnModuleInit {
  private readonly logger = new Logger(BulkPumps.name);
  private readonly kinds: PumpedKind[] = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly scheduled: ScheduledJobs,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a claim is held: longer than one piece of work on a batch, or a slow batch would look like a dead worker. */
  get leaseMs(): number {
    return this.config.usi.timeoutMs + 15_000;
  }

  register(kind: PumpedKind): void {
    this.kinds.push(kind);
  }

  onModuleInit(): void {
    this.queue.process<PumpData>(
      BULK_JOBS_QUEUE,
      (job) => (job.name === 'wake' ? this.wake(job.data.vendorId, job.data.environment) : this.pump(job.data)),
      { concurrency: WORKER_CONCURRENCY, lockMs: this.leaseMs },
    );
    // Wakes pumps for work a finished pump could not see (added as it was ending, not due yet) or left by a dead worker.
    this.scheduled.register(`${BULK_JOBS_QUEUE}-wake`, WAKE_EVERY_MS, () => this.wakeAll());
  }

  /**
   * Starts the vendor's pumps that are not already running or waiting (ids deduplicate). All slots at once: while the
   * queue is away they share one deadline, and every add abandoned to it lands when the queue is back (not only the first).
   */
  async wake(vendorId: VendorId, environment: string): Promise<void> {
    const slots = Array.from({ length: this.config.jobs.upstreamConcurrency }, (_, slot) => slot);
    await Promise.all(
      slots.map((slot) =>
        this.queue.add(BULK_JOBS_QUEUE, 'pump', { vendorId, environment }, { jobId: `pump-${vendorId}-${environment}-${slot}`, removeWhenDone: true }),
      ),
    );
  }

  /**
   * Wakes the vendor's pumps once `delayMs` has passed (a batch that is due later: a poll, a retry), without waiting
   * for the periodic wake. `key` names the occasion, so the same occasion is queued once. The batch's due time is
   * already stored, so a queue that does not answer in time leaves it to the periodic wake rather than failing the pump.
   */
  async wakeLater(vendorId: VendorId, environment: string, delayMs: number, key: string): Promise<void> {
    try {
      await this.queue.add(BULK_JOBS_QUEUE, 'wake', { vendorId, environment }, { jobId: `wake-${key}`, delayMs, removeWhenDone: true });
    } catch (err) {
      if (!isQueueUnavailable(err)) throw err;
      this.logger.warn({ msg: 'later wake not queued: queue unavailable (the periodic wake covers it)', key, code: err.code });
    }
  }

  async wakeAll(): Promise<void> {
    const seen = new Set<string>();
    for (const kind of this.kinds) {
      for (const { vendorId, environment } of await kind.vendorsWithWork()) {
        if (seen.has(`${vendorId}/${environment}`)) continue;
        seen.add(`${vendorId}/${environment}`);
        await this.wake(vendorId, environment);
      }
    }
  }

  /**
   * Runs until no kind has a batch of this vendor left to claim in this environment. A kind found without work is
   * skipped for `EMPTY_KIND_RECHECK_MS` while another kind keeps the pump busy: one claim transaction per batch sent
   * rather than one per kind. Before the pump stops every kind is asked once more, so work that arrived meanwhile is
   * not left to the periodic wake. While every other kind is skipped, a kind chains its batches (claims the next
   * with the finish of the last); as soon as another kind is due for a turn, it is asked first.
   */
  async pump({ vendorId, environment }: PumpData): Promise<void> {
    const emptyUntil = new Map<PumpedKind, number>();
    const mine = this.kinds.filter((kind) => kind.environment() === environment); // other environments' workers serve theirs
    const othersSkipped = (kind: PumpedKind) => mine.every((other) => other === kind || (emptyUntil.get(other) ?? 0) > Date.now());
    for (;;) {
      let worked = false;
      let skipped = false;
      for (const kind of mine) {
        if ((emptyUntil.get(kind) ?? 0) > Date.now()) {
          skipped = true;
          continue;
        }
        let batch = await kind.claim(vendorId, environment);
        if (!batch) {
          emptyUntil.set(kind, Date.now() + EMPTY_KIND_RECHECK_MS);
          continue;
        }
        worked = true;
        while (batch) batch = await kind.send(batch, othersSkipped(kind));
      }
      if (!worked && !skipped) return;
      if (!worked) emptyUntil.clear();
    }
  }
}
