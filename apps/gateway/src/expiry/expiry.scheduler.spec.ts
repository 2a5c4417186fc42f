import type { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { ExpiryScheduler } from './expiry.scheduler';
import type { ExpiryService } from './expiry.service';

describe('ExpiryScheduler', () => {
  const fakes = () => {
    const sweep = jest.fn().mockResolvedValue({ newlyWarned: [], expiredAuthorisations: [] });
    const register = jest.fn();
    return { sweep, register, service: { sweep } as unknown as ExpiryService, scheduled: { register } as unknown as ScheduledJobs };
  };

  it('registers the sweep as a scheduled job with its interval, and runs no more once stopped', async () => {
    const { sweep, register, service, scheduled } = fakes();
    const scheduler = new ExpiryScheduler(service, scheduled, 1000);
    scheduler.onModuleInit();
    expect(register).toHaveBeenCalledWith('credential-expiry-sweep', 1000, expect.any(Function));
    const run = register.mock.calls[0][2] as () => Promise<void>;
    await run();
    expect(sweep).toHaveBeenCalledTimes(1);
    await scheduler.onApplicationShutdown();
    await run();
    expect(sweep).toHaveBeenCalledTimes(1);
  });

  it('never overlaps a slow sweep and survives a failing one', async () => {
    const { sweep, service, scheduled } = fakes();
    let release!: () => void;
    sweep.mockReturnValueOnce(new Promise<void>((resolve) => (release = resolve))).mockRejectedValueOnce(new Error('db down'));
    const scheduler = new ExpiryScheduler(service, scheduled, 1000);
    const first = scheduler.tick();
    const overlapping = scheduler.tick();
    expect(sweep).toHaveBeenCalledTimes(1);
    release();
    await Promise.all([first, overlapping]);
    await expect(scheduler.tick()).resolves.toBeUndefined();
    expect(sweep).toHaveBeenCalledTimes(2);
    await scheduler.tick();
    expect(sweep).toHaveBeenCalledTimes(3);
  });
});
