import { Logger } from '@nestjs/common';
import { IdempotencyPurgeJob, PURGE_INTERVAL_MS } from './idempotency-purge.job';
import type { IdempotencyRepository } from './idempotency.repository';
import type { ScheduledJobs } from '../queue/scheduled-jobs.service';

function job(purge: () => Promise<number>) {
  const calls = { purge: 0 };
  const repo = { purgeExpired: () => (calls.purge++, purge()) } as unknown as IdempotencyRepository;
  const registered: { name: string; periodMs: number; run: () => Promise<unknown> }[] = [];
  const scheduled = { register: (name: string, periodMs: number, run: () => Promise<unknown>) => registered.push({ name, periodMs, run }) } as unknown as ScheduledJobs;
  return { job: new IdempotencyPurgeJob(repo, scheduled), calls, registered };
}

describe('IdempotencyPurgeJob', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('registers one queue-scheduled purge per period, which runs the purge', async () => {
    const { job: j, calls, registered } = job(async () => 0);
    j.onModuleInit();
    expect(registered.map((r) => [r.name, r.periodMs])).toEqual([['idempotency-purge', PURGE_INTERVAL_MS]]);
    await registered[0].run();
    expect(calls.purge).toBe(1);
  });

  it('reports how many rows went, and logs only when some did', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await expect(job(async () => 3).job.run()).resolves.toBe(3);
    expect(log).toHaveBeenCalledWith({ msg: 'expired idempotency keys purged', purged: 3 });
    log.mockClear();
    await expect(job(async () => 0).job.run()).resolves.toBe(0);
    expect(log).not.toHaveBeenCalled();
  });

  it('survives a failed purge (0, with a warning) so the next interval tries again', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const err = new Error('database gone');
    await expect(job(async () => Promise.reject(err)).job.run()).resolves.toBe(0);
    expect(warn).toHaveBeenCalledWith({ msg: 'idempotency purge failed; retrying next interval', err });
  });
});
