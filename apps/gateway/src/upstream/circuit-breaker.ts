import { AppError } from '../common/errors/app-error';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** What the breaker guards, as told to the client while it is open, e.g. "The ATO token service (STS)". */
  name?: string;
  /** Consecutive counted failures that open the circuit. */
  threshold: number;
  cooldownMs: number;
  now?: () => number;
}

/**
 * One per upstream endpoint (the STS and the USI service each have their own, shared by every vendor and
 * organisation). Only failures that say "the endpoint is not answering" are counted (the caller decides which:
 * `isAvailabilityFailure`); an answer, even a fault about one tenant or one request, proves the endpoint is up and
 * closes the circuit like a success. While open, calls fail at once; after the cool-down a single probe is let
 * through and decides the next state.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.failures < this.options.threshold) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half_open' : 'open';
  }

  async run<T>(work: () => Promise<T>, counts: (err: unknown) => boolean): Promise<T> {
    this.admit();
    const probe = this.state === 'half_open';
    if (probe) this.probing = true;
    try {
      const result = await work();
      this.failures = 0;
      return result;
    } catch (err) {
      if (counts(err)) this.recordFailure();
      else this.failures = 0;
      throw err;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private admit(): void {
    const state = this.state;
    if (state === 'closed' || (state === 'half_open' && !this.probing)) return;
    const waitMs = Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
    const name = this.options.name ?? 'The USI Registry';
    throw new AppError('upstream.unavailable', `${name} is failing; calls are suspended for a short while`, {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      circuit: 'open',
    });
  }

  private recordFailure(): void {
    this.failures += 1;
    if (this.failures >= this.options.threshold) this.openedAt = this.now();
  }
}
