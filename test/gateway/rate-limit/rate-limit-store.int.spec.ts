import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { RedisRateLimitStore } from '@gateway/rate-limit/redis-rate-limit.store';
import { backends, freshBucket, MINUTE, useBackend } from './support/rate-limit-backends';

describe.each(backends)('%s rate-limit store (GCRA)', (_name, open) => {
  const current = useBackend(open);

  it('admits a burst of the limit, counting remaining down, then refuses with a retry delay', async () => {
    const b = freshBucket(3);
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await current().store.take([b], MINUTE));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.states[0].remaining)).toEqual([2, 1, 0, 0]);
    // one slot frees every 20 s at 3/min
    expect(decisions[3].retryAfterMs).toBeGreaterThan(15_000);
    expect(decisions[3].retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(decisions[2].states[0].resetMs).toBeGreaterThan(55_000);
    expect(decisions[2].states[0].resetMs).toBeLessThanOrEqual(60_000);
  });

  it('is atomic under concurrency: 50 simultaneous takes from a bucket of 10 admit exactly 10', async () => {
    const b = freshBucket(10);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => current().store.take([b], MINUTE)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('charges every bucket or none: an empty organisation bucket leaves the vendor bucket untouched', async () => {
    const vendor = freshBucket(5, 'vendor');
    const orgA = freshBucket(2, 'organisation');
    const orgB = freshBucket(2, 'organisation');
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await current().store.take([vendor, orgA], MINUTE));
    expect(results.map((d) => d.allowed)).toEqual([true, true, false]);
    const next = await current().store.take([vendor, orgB], MINUTE);
    expect(next.allowed).toBe(true);
    expect(next.states.map((s) => s.remaining)).toEqual([2, 1]);
  });

  it('charges a cost of several requests at once, refuses one larger than what is left, and reads with cost 0', async () => {
    const b = freshBucket(10);
    const four = await current().store.take([{ ...b, cost: 4 }], MINUTE);
    expect([four.allowed, four.states[0].remaining]).toEqual([true, 6]);
    const seven = await current().store.take([{ ...b, cost: 7 }], MINUTE);
    expect([seven.allowed, seven.states[0].remaining]).toEqual([false, 0]);
    expect(seven.retryAfterMs).toBeGreaterThan(0);
    const read = await current().store.take([{ ...b, cost: 0 }], MINUTE);
    expect([read.allowed, read.states[0].remaining]).toEqual([true, 6]);
    const six = await current().store.take([{ ...b, cost: 6 }], MINUTE);
    expect([six.allowed, six.states[0].remaining]).toEqual([true, 0]);
    expect((await current().store.take([b], MINUTE)).allowed).toBe(false);
  });
});

describe('Redis rate-limit store against a Redis that accepts connections and never answers', () => {
  let server: Server;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a take within its deadline instead of holding the request', async () => {
    const store = new RedisRateLimitStore(url, 'test:hung:');
    try {
      const started = Date.now();
      await expect(store.take([{ key: '{v}:v', limit: 10, name: 'vendor' }], MINUTE)).rejects.toThrow(/timed out/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await store.close();
    }
  });
});
