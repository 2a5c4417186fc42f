import { Bucket, BucketState, RateDecision, RateLimitStore } from './rate-limit.types';

export interface LeaseOptions {
  /** Share of a bucket's limit taken per trip to the shared store; a bucket whose share is under 2 is never leased. */
  fraction: number;
  /** Most requests one lease holds. */
  max: number;
  /** Leased requests not used by then are dropped, so an instance that goes quiet does not sit on them. */
  ttlMs: number;
  now?: () => number;
}

interface Lease {
  /** Requests this instance may still admit without asking the store. */
  left: number;
  expiresAt: number;
  /** What the store reported when the lease was taken, for the RateLimit-* headers. */
  storeRemaining: number;
  fullAt: number;
}

/** Beyond this many leases held, expired ones are swept on the next trip to the store. */
const SWEEP_ABOVE = 1_000;

/**
 * Serves takes from requests leased in batches from the shared store: a bucket with a high limit is charged, say, 1 %
 * of its limit at once, and this instance admits that many requests locally before the next round trip. At
 * concurrency 1 the limiter's round trip was ~2 ms of a VerifyUSI's latency (a wait, and the cold restart after it),
 * for a check that cannot refuse a tenant far below its limit.
 *
 * Limits stay shared and are never exceeded: every admitted request was first charged to the shared store. The price
 * is that requests leased by an instance and not used within `ttlMs` are lost to the tenant (at most one lease per
 * bucket and instance), and near the limit the lease cannot be had, so takes fall back to one request at a time and
 * are exact. Buckets with small limits (under 2 / `fraction` per window) are never leased.
 */
export class LeasingRateLimitStore implements RateLimitStore {
  readonly kind: RateLimitStore['kind'];
  private readonly leases = new Map<string, Lease>();
  /** One trip to the store at a time per set of buckets; concurrent takes wait for its lease instead of each leasing. */
  private readonly refills = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(
    private readonly inner: RateLimitStore,
    private readonly options: LeaseOptions,
  ) {
    this.kind = inner.kind;
    this.now = options.now ?? Date.now;
  }

  async take(buckets: Bucket[], windowMs: number): Promise<RateDecision> {
    const local = this.takeLocally(buckets);
    if (local) return local;
    const refillKey = buckets.map((b) => b.key).join('\n');
    for (;;) {
      const pending = this.refills.get(refillKey);
      if (!pending) break;
      await pending.catch(() => undefined);
      const served = this.takeLocally(buckets);
      if (served) return served;
    }
    const refill = this.refill(buckets, windowMs);
    this.refills.set(refillKey, refill);
    try {
      return await refill;
    } finally {
      this.refills.delete(refillKey);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Admits from the leases alone when every bucket has one with a request left. */
  private takeLocally(buckets: Bucket[]): RateDecision | undefined {
    const now = this.now();
    const leases = buckets.map((b) => this.usable(b.key, now));
    if (!leases.every((l): l is Lease => l !== undefined)) return undefined;
    for (const lease of leases) lease.left -= 1;
    return { allowed: true, retryAfterMs: 0, states: buckets.map((bucket, i) => stateOf(bucket, leases[i], now)) };
  }

  /**
   * Charges the store a lease's worth for each bucket without a usable lease (or just this request, near the limit),
   * and reads the others without charging them, so the answer has every bucket's count.
   */
  private async refill(buckets: Bucket[], windowMs: number): Promise<RateDecision> {
    const now = this.now();
    // This request's share of each lease still held is claimed before the round trip, so a take served locally
    // meanwhile cannot spend it too; it is given back if the store refuses or fails.
    const held = buckets.map((b) => this.usable(b.key, now));
    const giveBack = () => held.forEach((lease) => lease && (lease.left += 1));
    held.forEach((lease) => lease && (lease.left -= 1));
    const costs = buckets.map((b, i) => (held[i] ? 0 : this.leaseSize(b.limit)));
    let decision: RateDecision;
    try {
      decision = await this.charge(buckets, costs, windowMs);
    } catch (err) {
      giveBack();
      throw err;
    }
    if (!decision.allowed) giveBack();
    const after = this.now();
    if (this.leases.size > SWEEP_ABOVE) this.sweep(after);
    if (!decision.allowed) {
      const states = decision.states.map((state, i) => ({ ...state, remaining: state.remaining + (held[i]?.left ?? 0) }));
      return { ...decision, states };
    }
    const states = buckets.map((bucket, i) => {
      const fromStore = decision.states[i];
      const lease = held[i] ?? this.freshLease(bucket.key, costs[i] - 1, after);
      lease.storeRemaining = fromStore.remaining;
      lease.fullAt = after + fromStore.resetMs;
      return stateOf(bucket, lease, after);
    });
    return { ...decision, states };
  }

  /** One round trip; a second, of one request per uncovered bucket, when a lease's worth is refused near the limit. */
  private async charge(buckets: Bucket[], costs: number[], windowMs: number): Promise<RateDecision> {
    const decision = await this.inner.take(buckets.map((b, i) => ({ ...b, cost: costs[i] })), windowMs);
    if (decision.allowed || !costs.some((c) => c > 1)) return decision;
    costs.forEach((c, i) => (costs[i] = Math.min(c, 1)));
    return this.inner.take(buckets.map((b, i) => ({ ...b, cost: costs[i] })), windowMs);
  }

  /**
   * The lease a newly charged bucket's requests go to: added to one another refill left meanwhile (two takes on
   * different bucket sets can both lease a shared bucket), else a new one.
   */
  private freshLease(key: string, left: number, now: number): Lease {
    const current = this.usable(key, now);
    if (current) {
      current.left += left;
      return current;
    }
    const lease = { left, expiresAt: now + this.options.ttlMs, storeRemaining: 0, fullAt: 0 };
    if (left > 0) this.leases.set(key, lease);
    return lease;
  }

  private usable(key: string, now: number): Lease | undefined {
    const lease = this.leases.get(key);
    return lease && lease.left > 0 && now < lease.expiresAt ? lease : undefined;
  }

  private leaseSize(limit: number): number {
    const share = Math.floor(limit * this.options.fraction);
    return share < 2 ? 1 : Math.min(share, this.options.max);
  }

  private sweep(now: number): void {
    for (const [key, lease] of this.leases) if (now >= lease.expiresAt || lease.left === 0) this.leases.delete(key);
  }
}

/** What a request admitted from `lease` sees: the store's count plus what this instance still holds. */
function stateOf(bucket: Bucket, lease: Lease, now: number): BucketState {
  return { bucket, remaining: lease.storeRemaining + lease.left, resetMs: Math.max(0, lease.fullAt - now) };
}
