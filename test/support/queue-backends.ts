import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The two queue backends a gateway runs its jobs on; suites that must hold on both run once per entry (`describe.each`). */
export const QUEUE_BACKENDS = ['postgres', 'redis'] as const;
export type QueueBackend = (typeof QUEUE_BACKENDS)[number];

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/**
 * The environment of a gateway (an in-test app, or the API and worker processes of one test, which must share it) on
 * `backend`: queue names of this run only (`QUEUE_PREFIX`, also the Redis key prefix) and, on Redis, rate-limit keys of
 * this run only, so runs in parallel (or left over from a killed run) on the one Redis never see each other's jobs.
 */
export function queueBackendEnv(backend: QueueBackend, label: string): Record<string, string> {
  const run = `${label}_${randomBytes(4).toString('hex')}`;
  if (backend === 'postgres') return { QUEUE_BACKEND: 'postgres', QUEUE_PREFIX: run };
  return { QUEUE_BACKEND: 'redis', REDIS_URL: REDIS_TEST_URL, QUEUE_PREFIX: run, RATE_LIMIT_REDIS_PREFIX: `${run}:rl:` };
}

/** Deletes what a run on Redis left there (its queues' and rate limits' keys); nothing to do on Postgres. */
export async function dropQueueBackendKeys(env: Record<string, string>): Promise<void> {
  if (!env.REDIS_URL) return;
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const pattern of [`${env.QUEUE_PREFIX}:*`, `${env.RATE_LIMIT_REDIS_PREFIX}*`]) {
      for await (const keys of redis.scanStream({ match: pattern, count: 500 })) if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
