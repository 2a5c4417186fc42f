/**
 * The gateway's queue port. Features depend on this abstract class only, never on BullMQ: `QueueModule` binds it to
 * BullMQ (Postgres or Redis backend), and a unit test can bind it to anything.
 *
 * How a feature uses it:
 * - enqueue: `await queue.add('webhooks', 'deliver', { deliveryId }, { jobId: deliveryId, attempts: 8, backoffMs: 30_000 })`
 * - process: in the feature's `onModuleInit`, `queue.process('webhooks', (job) => this.deliver(job.data), { concurrency: 8 })`.
 *   Processors run only in a process whose `ROLE` is `worker` or `all`; registering one in an `api` process is a no-op.
 *   A handler that throws is retried per the job's `attempts`/`backoffMs`; a job whose worker dies is taken over by
 *   another worker once its lock expires, so a handler must be safe to run twice.
 * - schedule: `queue.schedule('maintenance', 'idempotency-purge', 600_000, 'idempotency-purge')` plus a processor for
 *   that queue: the job runs once per period whatever the number of instances (BullMQ job schedulers).
 *
 * Data must be JSON and hold no personal data or secrets (it is stored in clear in the queue's store): ids only.
 *
 * `add` and `schedule` answer within `QUEUE_ADD_TIMEOUT_MS` or throw `QueueUnavailableError` (`queue.unavailable`, 503
 * with Retry-After if it reaches the filter): an outage of the queue's store must not hold a request. The call is not
 * cancelled and may still land once the store is back, so an add must be harmless twice or late. A caller whose work is
 * already stored in Postgres catches it, logs one warn line and answers as usual; a periodic sweep of that store hands
 * the work to the queue again (bulk jobs: `bulk-jobs-wake`; webhook deliveries: `webhook-maintenance`).
 */
export abstract class JobQueue {
  /** Whether this process runs processors (`ROLE` worker or all). */
  abstract readonly runsWorkers: boolean;

  /** Enqueues a job; with `jobId`, a second add with the same id is ignored while the first exists. Returns the id. */
  abstract add<T extends object>(queue: string, name: string, data: T, options?: JobOptions): Promise<string>;

  /**
   * Creates or updates a repeatable job (a BullMQ job scheduler, idempotent across instances): one job named `name`
   * every `everyMs`, whatever the number of instances calling this.
   */
  abstract schedule(queue: string, schedulerId: string, everyMs: number, name: string, data?: object): Promise<void>;

  /** Registers the one handler of `queue` (all job names). Started at application bootstrap in worker processes. */
  abstract process<T extends object>(queue: string, handler: JobHandler<T>, options?: ProcessOptions): void;
}

export interface JobOptions {
  /** Deduplicates: no second job with this id while the first is kept. */
  jobId?: string;
  delayMs?: number;
  /** Total attempts, the first included (default 1). */
  attempts?: number;
  /** Exponential backoff base between attempts. */
  backoffMs?: number;
  /**
   * Drop the job as soon as it ends (default: kept a day for inspection). Needed for a fixed `jobId` that is added
   * again after each run (a kept job would make the next add a no-op).
   */
  removeWhenDone?: boolean;
}

export interface QueuedJob<T> {
  id: string;
  name: string;
  data: T;
  /** Attempts already made before this one. */
  attemptsMade: number;
}

export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>;

export interface ProcessOptions {
  /** Jobs of this queue run at once in one process (default 1). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job is taken over after about this long. */
  lockMs?: number;
}
