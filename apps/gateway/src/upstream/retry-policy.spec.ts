import { RetryPolicy } from './retry-policy';

describe(RetryPolicy.name, () => {
  const sleeps: number[] = [];
  const policy = (random = () => 0.5) =>
    new RetryPolicy({ retries: 2, baseDelayMs: 100, random, sleep: async (ms) => void sleeps.push(ms) });
  const far = () => Date.now() + 60_000;

  beforeEach(() => {
    sleeps.length = 0;
  });

  it('retries retryable failures with full-jitter exponential delays, up to the retry count', async () => {
    const work = jest.fn().mockRejectedValue(new Error('timeout'));
    await expect(policy().run(work, { retryable: () => true, deadline: far(), enabled: true })).rejects.toThrow('timeout');
    expect(work).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('returns the first success', async () => {
    const work = jest.fn().mockRejectedValueOnce(new Error('x')).mockResolvedValue('ok');
    await expect(policy().run(work, { retryable: () => true, deadline: far(), enabled: true })).resolves.toBe('ok');
    expect(work).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['disabled (a write)', { retryable: () => true, enabled: false }],
    ['not retryable', { retryable: () => false, enabled: true }],
  ])('makes one attempt when %s', async (_name, opts) => {
    const work = jest.fn().mockRejectedValue(new Error('x'));
    await expect(policy().run(work, { ...opts, deadline: far() })).rejects.toThrow('x');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('gives up when the delay would end after the deadline', async () => {
    const work = jest.fn().mockRejectedValue(new Error('x'));
    await expect(policy(() => 0.99).run(work, { retryable: () => true, deadline: Date.now() + 10, enabled: true })).rejects.toThrow('x');
    expect(work).toHaveBeenCalledTimes(1);
  });
});
