import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { PostgresRateLimitStore } from './postgres-rate-limit.store';
import { RATE_LIMIT_STORE, RateLimitStore } from './rate-limit.types';

const PURGE_INTERVAL_MS = 5 * 60 * 1000;

/** Idle Postgres buckets are dropped now and then (once per period across instances); Redis keys expire on their own. */
@Injectable()
export class RateLimitPurgeJob implements OnModuleInit {
  private readonly logger = new Logger(RateLimitPurgeJob.name);

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly scheduled: ScheduledJobs,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (!(store instanceof PostgresRateLimitStore)) return;
    this.scheduled.register('rate-limit-purge', PURGE_INTERVAL_MS, () =>
      store.purgeIdle().catch((err: unknown) => this.logger.warn({ msg: 'rate limit purge failed', err })),
    );
  }
}
