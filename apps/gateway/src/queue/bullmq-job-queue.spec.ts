import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { BullmqJobQueue } from './bullmq-job-queue';
import { QueueUnavailableError } from './queue-unavailable.error';

/** A port nothing listens on: every connection to it is refused, as when Redis is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('BullmqJobQueue with its Redis unreachable', () => {
  let queue: BullmqJobQueue;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const config = { role: 'api', redisUrl: `redis://127.0.0.1:${await closedPort()}`, queue: { backend: 'redis', prefix: 'unit', addTimeoutMs: 300 } };
    queue = new BullmqJobQueue(config as AppConfig);
  });
  afterAll(async () => {
    await queue.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('an add answers queue.unavailable once QUEUE_ADD_TIMEOUT_MS has passed, instead of waiting for Redis', async () => {
    const started = Date.now();
    await expect(queue.add('unit-jobs', 'work', { id: 'x' }, { jobId: 'x' })).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('so does a scheduler upsert', async () => {
    await expect(queue.schedule('unit-maintenance', 'tick', 60_000, 'tick')).rejects.toMatchObject({ code: 'queue.unavailable' });
  });
});
