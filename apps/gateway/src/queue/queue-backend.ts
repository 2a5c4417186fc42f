import { createPostgresBackend, createRedisBackend, withBackend } from 'bullmq';
import type { Queue, Worker, Processor, WorkerOptions, QueueOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';

/** BullMQ's own schema in the gateway's database (Postgres backend); created by `migrate` (queue-schema.ts). */
export const QUEUE_SCHEMA = 'bullmq';

/** The two BullMQ classes we use, bound to one backend and its connection, without a process-wide default. */
export interface QueueBackend {
  readonly kind: 'postgres' | 'redis';
  newQueue(name: string, options?: Omit<QueueOptions, 'connection'>): Queue;
  newWorker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection'>): Worker;
}

/**
 * Postgres: each Queue/Worker owns a small pool and one LISTEN client on the app role (the schema was created by the
 * owner at migration time, queue-schema.ts). Redis: ioredis connections from the URL (BullMQ requires
 * `maxRetriesPerRequest: null` on workers' blocking connections).
 */
export function queueBackendFor(config: AppConfig): QueueBackend {
  const prefix = config.queue.prefix;
  if (config.queue.backend === 'redis') {
    const { Queue, Worker } = withBackend(createRedisBackend);
    const connection = redisConnection(config.redisUrl!);
    return {
      kind: 'redis',
      newQueue: (name, options) => new Queue(name, { ...options, prefix, connection }) as unknown as Queue,
      newWorker: (name, processor, options) =>
        new Worker(name, processor, { ...options, prefix, connection }) as unknown as Worker,
    };
  }
  const { Queue, Worker } = withBackend(createPostgresBackend);
  const connection = () => ({
    connectionString: config.database.url,
    schema: QUEUE_SCHEMA,
    max: 3,
    connectionTimeoutMillis: config.database.acquireTimeoutMs,
    statement_timeout: config.database.statementTimeoutMs,
  });
  return {
    kind: 'postgres',
    newQueue: (name, options) => new Queue(name, { ...options, prefix, connection: connection() }) as unknown as Queue,
    newWorker: (name, processor, options) =>
      new Worker(name, processor, { ...options, prefix, connection: connection() }) as unknown as Worker,
  };
}

function redisConnection(url: string): { host: string; port: number; username?: string; password?: string; db?: number; tls?: object; maxRetriesPerRequest: null } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
