import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import { systemClock } from '../common/clock';
import { OutageLogLimiter } from '../common/errors/problem-details.filter';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { JobHandler, JobOptions, JobQueue, ProcessOptions } from './job-queue';
import { QueueBackend, queueBackendFor } from './queue-backend';
import { QueueUnavailableError } from './queue-unavailable.error';

interface Registration {
  handler: JobHandler<object>;
  options: ProcessOptions;
}

/** Finished jobs kept for inspection, then dropped by BullMQ itself. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 5000 };
/** A lost connection of the queue's clients is logged at most once per this window (with the count held back). */
const CONNECTION_LOG_WINDOW_MS = 10_000;

/** `JobQueue` on BullMQ: one Queue per queue name (lazily), one Worker per registered processor in worker roles. */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BullmqJobQueue.name);
  private readonly backend: QueueBackend;
  private readonly queues = new Map<string, Queue>();
  private readonly registrations = new Map<string, Registration>();
  private readonly workers: Worker[] = [];
  private started = false;
  private readonly addTimeoutMs: number;
  /** Every Queue and Worker has its own connections, each reporting every failed reconnection while Redis is away. */
  private readonly connectionLog = new OutageLogLimiter(systemClock, CONNECTION_LOG_WINDOW_MS);
  readonly runsWorkers: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.backend = queueBackendFor(config);
    this.runsWorkers = config.role !== 'api';
    this.addTimeoutMs = config.queue.addTimeoutMs;
  }

  get backendKind(): 'postgres' | 'redis' {
    return this.backend.kind;
  }

  async add<T extends object>(queue: string, name: string, data: T, options: JobOptions = {}): Promise<string> {
    const job = await this.withinDeadline(this.queue(queue).add(name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: options.attempts ?? 1,
      backoff: options.backoffMs ? { type: 'exponential', delay: options.backoffMs } : undefined,
      removeOnComplete: options.removeWhenDone ? true : KEEP_COMPLETED,
      removeOnFail: options.removeWhenDone ? true : KEEP_FAILED,
    }));
    return job.id ?? options.jobId ?? '';
  }

  /**
   * An unchanged scheduler is left alone, so a restart never moves its next run. A new (or re-timed) one first runs one
   * period boundary from now: BullMQ would otherwise run an `every` scheduler at once, racing the instance's own
   * start-up work. The boundary is aligned (a multiple of the period) so instances upserting together name the same
   * next job, which BullMQ then keeps once.
   */
  async schedule(queue: string, schedulerId: string, everyMs: number, name: string, data: object = {}): Promise<void> {
    await this.withinDeadline(this.upsertScheduler(queue, schedulerId, everyMs, name, data));
  }

  private async upsertScheduler(queue: string, schedulerId: string, everyMs: number, name: string, data: object): Promise<void> {
    const existing = await this.queue(queue).getJobScheduler(schedulerId);
    if (existing && Number(existing.every) === everyMs && existing.name === name) return;
    await this.queue(queue).upsertJobScheduler(
      schedulerId,
      { every: everyMs, startDate: (Math.floor(Date.now() / everyMs) + 1) * everyMs },
      { name, data, opts: { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED } },
    );
  }

  process<T extends object>(queue: string, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    if (this.registrations.has(queue)) throw new Error(`queue ${queue} already has a processor`);
    this.registrations.set(queue, { handler: handler as JobHandler<object>, options });
    if (this.started) this.startWorker(queue);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const queue of this.registrations.keys()) this.startWorker(queue);
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    // Workers first: a job in progress finishes (or is abandoned to its lock) before the connections go.
    await Promise.allSettled(this.workers.splice(0).map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  /**
   * `work`, or `QueueUnavailableError` once `QUEUE_ADD_TIMEOUT_MS` has passed. BullMQ's calls have no deadline of their
   * own: on Redis (`maxRetriesPerRequest: null`) a command waits in the client's offline queue until the connection is
   * back. The abandoned call is not cancelled: it may still complete once the store answers (every job is safe to add
   * twice or late; see `JobQueue`).
   */
  private async withinDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError()), this.addTimeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.backend.newQueue(name);
      queue.on('error', (err: Error) => this.logConnectionError('queue connection error', name, err));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * A lost or refused connection (the store is away) is expected, not a bug: one warn line per kind per window, with the
   * count held back and without a stack. Any other error is logged each time, with the error.
   */
  private logConnectionError(msg: string, queue: string, err: Error): void {
    if (!isConnectionLoss(err)) {
      this.logger.warn({ msg, queue, err });
      return;
    }
    const suppressed = this.connectionLog.admit(msg);
    if (suppressed === undefined) return;
    this.logger.warn({ msg, queue, error: err.message, ...(suppressed > 0 ? { suppressed } : {}) });
  }

  private startWorker(queue: string): void {
    if (!this.runsWorkers) return;
    const { handler, options } = this.registrations.get(queue)!;
    const worker = this.backend.newWorker(
      queue,
      (job: Job) => handler({ id: job.id ?? '', name: job.name, data: job.data as object, attemptsMade: job.attemptsMade }),
      { concurrency: options.concurrency ?? 1, lockDuration: options.lockMs ?? 30_000 },
    );
    worker.on('error', (err: Error) => this.logConnectionError('queue worker error', queue, err));
    worker.on('failed', (job: Job | undefined, err: Error) =>
      this.logger.warn({ msg: 'job failed', queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }),
    );
    this.workers.push(worker);
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The client's socket failed (ioredis and pg errors carry the system code), or ioredis found its connection closed. */
function isConnectionLoss(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_ERRORS.has(code)) || /Connection is closed|connect ETIMEDOUT/.test(err.message);
}
