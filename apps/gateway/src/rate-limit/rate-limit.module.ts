import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { PostgresRateLimitStore } from './postgres-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_STORE, RateLimitStore } from './rate-limit.types';
import { RateLimiter } from './rate-limiter.service';
import { RateLimitPurgeJob } from './rate-limit-purge.job';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Limits are GCRA (a token bucket expressed as one timestamp per bucket): a bucket of N per minute admits a burst of N
 * and then one request every 60/N seconds, with no fixed-window edge where 2N can pass. Shared by all instances
 * through Redis when REDIS_URL is set, otherwise through Postgres. Global so `@RateLimited()` works in any module.
 */
@Global()
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORE,
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource): RateLimitStore =>
        config.redisUrl
          ? new RedisRateLimitStore(config.redisUrl, config.rateLimit.redisKeyPrefix)
          : new PostgresRateLimitStore(dataSource),
    },
    RateLimiter,
    RateLimitGuard,
    RateLimitPurgeJob,
  ],
  // The store too: failed authentication is limited per client address through it (auth/failed-auth).
  exports: [RateLimiter, RateLimitGuard, RATE_LIMIT_STORE],
})
export class RateLimitModule {}
