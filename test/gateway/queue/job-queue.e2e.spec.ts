import { randomBytes } from 'node:crypto';
import { loadConfig } from '@gateway/config/app-config';
import { BullmqJobQueue } from '@gateway/queue/bullmq-job-queue';
import { QueuedJob } from '@gateway/queue/job-queue';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

const until = async (check: () => boolean, timeoutMs = 15_000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.each(['postgres', 'redis'] as const)('JobQueue on BullMQ (%s backend)', (backend) => {
  let db: TestDatabase;
  const instances: BullmqJobQueue[] = [];
  const prefix = `t_${randomBytes(4).toString('hex')}`;

  const newInstance = (role: 'api' | 'worker' | 'all' = 'all'): BullmqJobQueue => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.appUrl,
      QUEUE_BACKEND: backend,
      QUEUE_PREFIX: prefix,
      REDIS_URL: backend === 'redis' ? REDIS_URL : undefined,
      ROLE: role,
    });
    const queue = new BullmqJobQueue(config);
    instances.push(queue);
    return queue;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(instances.map((q) => q.onApplicationShutdown()));
    await db.drop();
  });

  it('runs an enqueued job on a worker, as the application role, with its data', async () => {
    const seen: QueuedJob<{ n: number }>[] = [];
    const api = newInstance('api');
    const worker = newInstance('worker');
    api.process<{ n: number }>('echo', async (job) => void seen.push(job)); // an api process runs no processor
    worker.process<{ n: number }>('echo', async (job) => void seen.push(job));
    api.onApplicationBootstrap();
    worker.onApplicationBootstrap();
    await api.add('echo', 'one', { n: 1 });
    await api.add('echo', 'two', { n: 2 }, { jobId: 'fixed' });
    await api.add('echo', 'two-again', { n: 3 }, { jobId: 'fixed' }); // same id: ignored
    await until(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((j) => j.data.n).sort()).toEqual([1, 2]);
    expect(seen.find((j) => j.data.n === 2)?.id).toBe('fixed');
  });

  it('retries a failing job with backoff up to its attempts', async () => {
    const worker = newInstance('all');
    let attempts = 0;
    worker.process('flaky', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('not yet');
    });
    worker.onApplicationBootstrap();
    await worker.add('flaky', 'x', {}, { attempts: 3, backoffMs: 10 });
    await until(() => attempts >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toBe(3);
  });

  it('runs a scheduled job once per period across two instances', async () => {
    const a = newInstance('all');
    const b = newInstance('all');
    const runs: number[] = [];
    a.process('tick', async () => void runs.push(Date.now()));
    b.process('tick', async () => void runs.push(Date.now()));
    a.onApplicationBootstrap();
    b.onApplicationBootstrap();
    const period = 1000;
    await Promise.all([a.schedule('tick', 'tick-every', period, 'tick'), b.schedule('tick', 'tick-every', period, 'tick')]);
    const started = Date.now();
    await until(() => runs.length >= 3, 10_000);
    const elapsedPeriods = Math.ceil((Date.now() - started) / period) + 1;
    // Two instances each scheduling the same job would double this; once per period allows at most one per period.
    expect(runs.length).toBeLessThanOrEqual(elapsedPeriods);
    const sorted = [...runs].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThan(period / 2);
  });
});
