import { Logger } from '@nestjs/common';
import { IdempotencyPurgeJob, PURGE_INTERVAL_MS } from './idempotency-purge.job';
import type { IdempotencyRepository } from './idempotency.repository';

function job(purge: () => Promise<number>) {
  const calls = { purge: 0 };
  const repo = { purgeExpired: () => (calls.purge++, purge()) } as unknown as IdempotencyRepository;
  return { job: new IdempotencyPurgeJob(repo), calls };
}

describe('IdempotencyPurgeJob', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('purges every interval from bootstrap until shutdown', () => {
    jest.useFakeTimers();
    const { job: j, calls } = job(async () => 0);
    j.onApplicationBootstrap();
    jest.advanceTimersByTime(PURGE_INTERVAL_MS - 1);
    expect(calls.purge).toBe(0);
    jest.advanceTimersByTime(1);
    expect(calls.purge).toBe(1);
    jest.advanceTimersByTime(PURGE_INTERVAL_MS);
    expect(calls.purge).toBe(2);
    j.onApplicationShutdown();
    jest.advanceTimersByTime(3 * PURGE_INTERVAL_MS);
    expect(calls.purge).toBe(2);
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
