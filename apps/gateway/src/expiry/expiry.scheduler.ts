import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { ExpiryService } from './expiry.service';

export const EXPIRY_SWEEP_INTERVAL_MS = Symbol('EXPIRY_SWEEP_INTERVAL_MS');
const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The credential and authorisation expiry sweep, once per interval across instances (a queue job scheduler). The sweep
 * is idempotent anyway (warnings are marked once, expiry is a conditional update). A stopped scheduler runs no more.
 */
@Injectable()
export class ExpiryScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private readonly intervalMs: number;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly expiry: ExpiryService,
    private readonly scheduled: ScheduledJobs,
    @Optional() @Inject(EXPIRY_SWEEP_INTERVAL_MS) intervalMs?: number,
  ) {
    this.intervalMs = intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  onModuleInit(): void {
    this.scheduled.register('credential-expiry-sweep', this.intervalMs, () => this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** One sweep; never overlaps one still running in this process, never throws. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.expiry
      .sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error(`expiry sweep failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
