import { ExpiryScheduler } from './expiry.scheduler';
import type { ExpiryService } from './expiry.service';

describe('ExpiryScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const fakeService = () => {
    const sweep = jest.fn().mockResolvedValue({ newlyWarned: [], expiredAuthorisations: [] });
    return { sweep, service: { sweep } as unknown as ExpiryService };
  };

  it('sweeps at start, then once per interval, and stops on shutdown', async () => {
    const { sweep, service } = fakeService();
    const scheduler = new ExpiryScheduler(service, 1000);
    scheduler.onApplicationBootstrap();
    expect(sweep).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2500);
    expect(sweep).toHaveBeenCalledTimes(3);
    await scheduler.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(5000);
    expect(sweep).toHaveBeenCalledTimes(3);
  });

  it('never overlaps a slow sweep and survives a failing one', async () => {
    const { sweep, service } = fakeService();
    let release!: () => void;
    sweep.mockReturnValueOnce(new Promise<void>((resolve) => (release = resolve))).mockRejectedValueOnce(new Error('db down'));
    const scheduler = new ExpiryScheduler(service, 1000);
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    expect(sweep).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(sweep).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sweep).toHaveBeenCalledTimes(3);
    await scheduler.onApplicationShutdown();
  });
});
