/** One limit: at most `limit` requests per `windowMs`, spread by GCRA (see rate-limit.module.ts). */
export interface Bucket {
  key: string;
  limit: number;
  /** `vendor` or `organisation`: which policy a header or a 429 refers to. */
  name: string;
  /** Requests this take charges at once (default 1); more when leasing (leasing-rate-limit.store.ts). */
  cost?: number;
}

export interface BucketState {
  bucket: Bucket;
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** 0 when allowed. */
  retryAfterMs: number;
  states: BucketState[];
}

/** Takes `cost` requests from every bucket, or nothing when any of them lacks them. Atomic across gateway instances. */
export interface RateLimitStore {
  readonly kind: 'redis' | 'postgres';
  take(buckets: Bucket[], windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');
