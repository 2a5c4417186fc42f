import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ExpiryService } from './expiry.service';

export const EXPIRY_SWEEP_INTERVAL_MS = Symbol('EXPIRY_SWEEP_INTERVAL_MS');
const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Runs the expiry sweep at start and then every interval. The sweep is idempotent (warnings are marked once,
 * expiry is a conditional update), so several gateway instances running it concurrently is harmless.
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly expiry: ExpiryService,
    @Optional() @Inject(EXPIRY_SWEEP_INTERVAL_MS) intervalMs?: number,
  ) {
    this.intervalMs = intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.tick();
    // unref: a pending sweep must never keep a stopping process alive.
    this.timer = setInterval(() => this.tick(), this.intervalMs).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.expiry
      .sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error(`expiry sweep failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = undefined));
  }
}
