import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { PostgresRateLimitStore } from '@gateway/rate-limit/postgres-rate-limit.store';
import { Bucket, RateLimitStore } from '@gateway/rate-limit/rate-limit.types';
import { RedisRateLimitStore } from '@gateway/rate-limit/redis-rate-limit.store';
import { createTestDatabase, TestDatabase } from '../../../support/test-database';

export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
export const MINUTE = 60_000;

export interface Backend {
  store: RateLimitStore;
  close(): Promise<void>;
}

/** Both shared stores, for real: a fresh test database, and a key prefix of its own in the test Redis. */
export const backends: [string, () => Promise<Backend>][] = [
  [
    'postgres',
    async () => {
      const db: TestDatabase = await createTestDatabase();
      const ds = await new DataSource({ type: 'postgres', url: db.appUrl, extra: { max: 20 } }).initialize();
      return { store: new PostgresRateLimitStore(ds), close: async () => (await ds.destroy(), await db.drop()) };
    },
  ],
  [
    'redis',
    async () => {
      const prefix = `test:rl:${randomBytes(6).toString('hex')}:`;
      const store = new RedisRateLimitStore(REDIS_URL, prefix);
      return {
        store,
        close: async () => {
          await store.close();
          const redis = new Redis(REDIS_URL);
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length) await redis.del(...keys);
          await redis.quit();
        },
      };
    },
  ],
];


/** Opens `open`'s store before the suite's tests and closes it after; the getter is valid inside tests. */
export function useBackend(open: () => Promise<Backend>): () => Backend {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await open();
  }, 60_000);
  afterAll(() => backend?.close());
  return () => backend!;
}

/** A bucket no other test touches. */
export function freshBucket(limit: number, name = 'vendor'): Bucket {
  return { key: `${name}-${randomBytes(6).toString('hex')}`, limit, name };
}
