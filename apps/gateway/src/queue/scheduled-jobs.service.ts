import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { isQueueUnavailable } from './queue-unavailable.error';

export const MAINTENANCE_QUEUE = 'maintenance';
/**
 * The schedulers live in the queue's store: one that comes back empty (Redis restarted without persistence) would stop
 * every periodic task, the wake of stored bulk jobs included, until the next start. Each instance upserts them again
 * this often; an unchanged scheduler costs one read.
 */
const REGISTER_AGAIN_EVERY_MS = 5 * 60_000;

interface ScheduledTask {
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Periodic work that must run once per period across all instances (purges, sweeps, partition upkeep): each task is a
 * BullMQ job scheduler on the `maintenance` queue, so whatever the number of instances, one job is produced per
 * period and one worker runs it. Features register in `onModuleInit`; every instance upserts the same schedulers
 * (idempotent), and only worker processes run them.
 *
 * Per-instance work (flushing an in-memory buffer of this process) must NOT be registered here: it stays a timer.
 */
@Injectable()
export class ScheduledJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduledJobs.name);
  private readonly tasks = new Map<string, ScheduledTask>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly queue: JobQueue) {}

  /** `id` names the scheduler and its jobs: keep it stable across releases. */
  register(id: string, everyMs: number, run: () => Promise<unknown>): void {
    if (this.tasks.has(id)) throw new Error(`scheduled job ${id} registered twice`);
    this.tasks.set(id, { everyMs, run });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queue.process<object>(MAINTENANCE_QUEUE, async (job) => {
      const task = this.tasks.get(job.name);
      // A scheduler left by another release or configuration (e.g. the Postgres rate-limit purge under Redis).
      if (!task) return this.logger.debug({ msg: 'no task for scheduled job', job: job.name });
      await task.run();
    });
    await this.registerAll();
    this.timer = setInterval(() => void this.registerAll(), REGISTER_AGAIN_EVERY_MS).unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Upserts every task's scheduler (idempotent across instances). All at once: each upsert waits up to
   * QUEUE_ADD_TIMEOUT_MS when the queue's store is away, and start-up waits on them. Failures are one warn line; an
   * upsert past its deadline may still land once the store answers, and the next round retries the others.
   */
  async registerAll(): Promise<void> {
    const tasks = [...this.tasks];
    const results = await Promise.allSettled(tasks.map(([id, task]) => this.queue.schedule(MAINTENANCE_QUEUE, id, task.everyMs, id)));
    const failed = tasks.map(([id], i) => ({ id, result: results[i]! })).filter((r) => r.result.status === 'rejected');
    if (!failed.length) return;
    const reason = (failed[0]!.result as PromiseRejectedResult).reason as unknown;
    const ids = failed.map((f) => f.id);
    if (isQueueUnavailable(reason)) this.logger.warn({ msg: 'scheduled jobs not registered in time: queue unavailable', ids, code: reason.code });
    else this.logger.warn({ msg: 'scheduled jobs not registered; retried later', ids, err: reason });
  }
}
