import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Logger } from '@nestjs/common';
import { PostgresRateLimitStore } from './postgres-rate-limit.store';
import { RATE_LIMIT_STORE, RateLimitStore } from './rate-limit.types';

const PURGE_INTERVAL_MS = 5 * 60 * 1000;

/** Idle Postgres buckets are dropped now and then; Redis keys expire on their own. */
@Injectable()
export class RateLimitPurgeJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitPurgeJob.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {}

  onApplicationBootstrap(): void {
    const store = this.store;
    if (!(store instanceof PostgresRateLimitStore)) return;
    this.timer = setInterval(() => {
      store.purgeIdle().catch((err: unknown) => this.logger.warn({ msg: 'rate limit purge failed', err }));
    }, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
