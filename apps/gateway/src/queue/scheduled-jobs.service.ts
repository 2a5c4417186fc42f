import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { isQueueUnavailable } from './queue-unavailable.error';

export const MAINTENANCE_QUEUE = 'maintenance';

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
export class ScheduledJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduledJobs.name);
  private readonly tasks = new Map<string, ScheduledTask>();

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
    // All at once: each upsert waits up to QUEUE_ADD_TIMEOUT_MS when the queue's store is away, and start-up waits on them.
    await Promise.all(
      [...this.tasks].map(([id, task]) =>
        this.queue.schedule(MAINTENANCE_QUEUE, id, task.everyMs, id).catch((err: unknown) => {
          // An upsert past its deadline may still land once the store answers; if not, the next start registers it.
          if (isQueueUnavailable(err)) this.logger.warn({ msg: 'scheduled job not registered in time: queue unavailable', id, code: err.code });
          else this.logger.warn({ msg: 'scheduled job not registered; next start retries', id, err });
        }),
      ),
    );
  }
}
