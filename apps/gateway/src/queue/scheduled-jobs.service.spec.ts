import { Logger } from '@nestjs/common';
import type { JobQueue } from './job-queue';
import { QueueUnavailableError } from './queue-unavailable.error';
import { MAINTENANCE_QUEUE, ScheduledJobs } from './scheduled-jobs.service';

describe('ScheduledJobs.registerAll', () => {
  afterEach(() => jest.restoreAllMocks());

  it('upserts every scheduler at once and reports the ones the queue did not take in time as one warn line', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let inFlight = 0;
    let most = 0;
    const schedule = jest.fn(async (_queue: string, id: string, _everyMs: number, _name: string) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (id !== 'a') throw new QueueUnavailableError();
    });
    const scheduled = new ScheduledJobs({ schedule } as unknown as JobQueue);
    for (const id of ['a', 'b', 'c']) scheduled.register(id, 60_000, () => Promise.resolve());
    await scheduled.registerAll();
    expect(schedule.mock.calls.map(([queue, id, every, name]) => [queue, id, every, name])).toEqual(
      ['a', 'b', 'c'].map((id) => [MAINTENANCE_QUEUE, id, 60_000, id]),
    );
    expect(most).toBe(3);
    expect(warn.mock.calls).toEqual([[{ msg: expect.stringContaining('queue unavailable'), ids: ['b', 'c'], code: 'queue.unavailable' }]]);
  });

  it('says nothing when every scheduler is in place', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const scheduled = new ScheduledJobs({ schedule: () => Promise.resolve() } as unknown as JobQueue);
    scheduled.register('a', 1_000, () => Promise.resolve());
    await scheduled.registerAll();
    expect(warn).not.toHaveBeenCalled();
  });
});
