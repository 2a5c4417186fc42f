import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { withTimeout } from '../common/with-timeout';

/** Pings Redis when a queue backend is configured; without REDIS_URL the queues live in Postgres. */
@Injectable()
export class RedisProbe implements OnModuleDestroy {
  private redis?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get kind(): 'redis' | 'database' {
    return this.config.redisUrl ? 'redis' : 'database';
  }

  /** Resolves when Redis answers PONG; undefined means "no Redis, use the database check". */
  async ping(timeoutMs: number): Promise<void> {
    if (!this.config.redisUrl) return;
    this.redis ??= this.connection(this.config.redisUrl, timeoutMs);
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
    const reply = await withTimeout(this.redis.ping(), timeoutMs);
    if (reply !== 'PONG') throw new Error(`unexpected Redis reply ${reply}`);
  }

  private connection(url: string, timeoutMs: number): Redis {
    const redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: timeoutMs,
    });
    // A connection error fails the ping, which readiness reports; with no listener ioredis would also print each one
    // to the console, outside the structured log, on every probe while Redis is down.
    redis.on('error', () => undefined);
    return redis;
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }
}
