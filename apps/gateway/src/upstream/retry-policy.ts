export interface RetryPolicyOptions {
  /** Extra attempts after the first. */
  retries: number;
  baseDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Exponential backoff with full jitter (delay drawn from [0, base·2^n)) so a burst of callers does not retry in
 * lock-step. A retry is attempted only if its delay still ends before the deadline.
 */
export class RetryPolicy {
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RetryPolicyOptions) {
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async run<T>(
    work: (attempt: number) => Promise<T>,
    opts: { retryable: (err: unknown) => boolean; deadline: number; enabled: boolean },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(attempt);
      } catch (err) {
        if (!opts.enabled || attempt > this.options.retries || !opts.retryable(err)) throw err;
        const delay = Math.floor(this.random() * this.options.baseDelayMs * 2 ** (attempt - 1));
        if (Date.now() + delay >= opts.deadline) throw err;
        await this.sleep(delay);
      }
    }
  }
}
