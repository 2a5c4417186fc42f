import { retryDelayMs } from './webhook-backoff';

describe(retryDelayMs.name, () => {
  const defaults = { maxAttempts: 8, baseMs: 30_000, factor: 3.5 };

  it('grows exponentially and stops after the last attempt', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, defaults)!);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    expect(retryDelayMs(8, defaults)).toBeUndefined();
  });

  it('spans about a day with the defaults (8 attempts)', () => {
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + retryDelayMs(n, defaults)!, 0);
    expect(total / 3_600_000).toBeGreaterThan(18);
    expect(total / 3_600_000).toBeLessThan(30);
  });

  it('follows the configured schedule', () => {
    const fast = { maxAttempts: 4, baseMs: 100, factor: 2 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, fast))).toEqual([100, 200, 400, undefined]);
  });
});
