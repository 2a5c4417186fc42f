import { LeaseOptions, LeasingRateLimitStore } from '@gateway/rate-limit/leasing-rate-limit.store';
import { Bucket, RateLimitStore } from '@gateway/rate-limit/rate-limit.types';
import { backends, freshBucket, MINUTE, useBackend } from './support/rate-limit-backends';

// Long enough that no request is replenished while a test runs, so counts are exact.
const WINDOW = 60 * MINUTE;

/** The shared store, counting the round trips the leasing layer makes to it. */
function counted(store: RateLimitStore): RateLimitStore & { trips: number } {
  const wrapper = {
    kind: store.kind,
    trips: 0,
    take: (buckets: Bucket[], windowMs: number) => {
      wrapper.trips += 1;
      return store.take(buckets, windowMs);
    },
    close: () => Promise.resolve(),
  };
  return wrapper;
}

describe.each(backends)('leasing over the %s store', (_name, open) => {
  const current = useBackend(open);
  const leasing = (shared: RateLimitStore, options: Partial<LeaseOptions> = {}) =>
    new LeasingRateLimitStore(shared, { fraction: 0.01, max: 100, ttlMs: 60_000, ...options });

  it('admits a lease of 1 % of the limit per round trip, with the same remaining counts as one take per request', async () => {
    const shared = counted(current().store);
    const store = leasing(shared);
    const b = freshBucket(1_000);
    const remaining: number[] = [];
    for (let i = 0; i < 25; i += 1) remaining.push((await store.take([b], WINDOW)).states[0].remaining);
    expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => 999 - i));
    expect(shared.trips).toBe(3);
  });

  it('never lets two instances together exceed the limit, and loses at most one lease each', async () => {
    const b = freshBucket(200);
    const [a, c] = [leasing(current().store, { fraction: 0.05 }), leasing(current().store, { fraction: 0.05 })];
    let admitted = 0;
    for (let i = 0; i < 150; i += 1) {
      if ((await a.take([b], WINDOW)).allowed) admitted += 1;
      if ((await c.take([b], WINDOW)).allowed) admitted += 1;
    }
    expect(admitted).toBeLessThanOrEqual(200);
    expect(admitted).toBeGreaterThanOrEqual(200 - 2 * 10);
  });

  it('falls back to one request at a time near the limit, so the last requests are admitted exactly', async () => {
    const b = freshBucket(100);
    const first = leasing(current().store, { fraction: 0.1 });
    for (let i = 0; i < 95; i += 1) expect((await first.take([b], WINDOW)).allowed).toBe(true);
    // `first` holds the 5 requests of its last lease; another instance cannot lease 10 more, nor take one
    const second = counted(current().store);
    const decision = await leasing(second, { fraction: 0.1 }).take([b], WINDOW);
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterMs).toBeGreaterThan(0);
    expect(second.trips).toBe(2);
    for (let i = 0; i < 5; i += 1) expect((await first.take([b], WINDOW)).allowed).toBe(true);
    expect((await first.take([b], WINDOW)).allowed).toBe(false);
  });

  it('does not lease buckets whose 1 % is under two requests: every take is a round trip', async () => {
    const shared = counted(current().store);
    const store = leasing(shared);
    const b = freshBucket(150);
    for (let i = 0; i < 5; i += 1) await store.take([b], WINDOW);
    expect(shared.trips).toBe(5);
  });

  it('drops leased requests unused after the lease lifetime', async () => {
    let now = 1_000_000;
    const shared = counted(current().store);
    const store = leasing(shared, { ttlMs: 1_000, now: () => now });
    const b = freshBucket(1_000);
    await store.take([b], WINDOW);
    await store.take([b], WINDOW);
    expect(shared.trips).toBe(1);
    now += 1_000;
    const decision = await store.take([b], WINDOW);
    expect(shared.trips).toBe(2);
    // the 8 requests left in the expired lease are gone: the store has charged 20
    expect(decision.states[0].remaining).toBe(1_000 - 20 + 9);
  });

  it('sends concurrent takes on an empty lease to the store once', async () => {
    const shared = counted(current().store);
    const store = leasing(shared, { fraction: 0.05 });
    const b = freshBucket(1_000);
    const decisions = await Promise.all(Array.from({ length: 20 }, () => store.take([b], WINDOW)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(shared.trips).toBe(1);
    expect(decisions.map((d) => d.states[0].remaining).sort((x, y) => y - x)).toEqual(Array.from({ length: 20 }, (_, i) => 999 - i));
  });

  it('leases each bucket of a take on its own and refuses without charging when one is empty', async () => {
    const shared = counted(current().store);
    const store = leasing(shared);
    const vendor = freshBucket(1_000, 'vendor');
    const org = freshBucket(2, 'organisation');
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await store.take([vendor, org], WINDOW));
    expect(results.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(results[2].states.map((s) => [s.bucket.name, s.remaining])).toEqual([
      ['vendor', 998],
      ['organisation', 0],
    ]);
    // the vendor's lease was charged once; the refused take consumed nothing from it
    const next = await store.take([vendor], WINDOW);
    expect(next.states[0].remaining).toBe(997);
  });

  it('never admits more than the store was charged when a local take races a refill for the same lease', async () => {
    const store = leasing(current().store);
    const vendor = freshBucket(1_000, 'vendor');
    const [orgA, orgB] = [freshBucket(10_000, 'organisation'), freshBucket(1_000, 'organisation')];
    for (let i = 0; i < 9; i += 1) await store.take([vendor, orgA], WINDOW);
    // The vendor lease (10) has one request left: the first take below must refill orgB's lease, the second could be
    // served locally; only one of them may have that last vendor request.
    const decisions = await Promise.all([store.take([vendor, orgB], WINDOW), store.take([vendor, orgA], WINDOW)]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    const charged = 1_000 - (await current().store.take([{ ...vendor, cost: 0 }], WINDOW)).states[0].remaining;
    expect(charged).toBeGreaterThanOrEqual(11);
  });

  it('keeps both leases when two refills on different bucket sets lease a shared bucket at once', async () => {
    const shared = counted(current().store);
    const store = leasing(shared);
    const vendor = freshBucket(1_000, 'vendor');
    const [orgA, orgB] = [freshBucket(1_000, 'organisation'), freshBucket(1_000, 'organisation')];
    await Promise.all([store.take([vendor, orgA], WINDOW), store.take([vendor, orgB], WINDOW)]);
    expect(shared.trips).toBe(2);
    // 2 × 10 leased, 2 used: 18 left here
    for (let i = 0; i < 18; i += 1) await store.take([vendor], WINDOW);
    expect(shared.trips).toBe(2);
    await store.take([vendor], WINDOW);
    expect(shared.trips).toBe(3);
  });
});
