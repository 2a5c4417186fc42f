import { CacheInvalidation, InvalidationHandler, parseInvalidation } from './cache-invalidation.service';
import { CoherentCache } from './coherent-cache';

function fakeInvalidation() {
  const handlers: InvalidationHandler[] = [];
  const fake = {
    listening: true,
    subscribe: (h: InvalidationHandler) => void handlers.push(h),
    emit: (e: Parameters<InvalidationHandler>[0]) => handlers.forEach((h) => h(e)),
  };
  return fake;
}

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';

describe('CoherentCache', () => {
  let inv: ReturnType<typeof fakeInvalidation>;
  let cache: CoherentCache<string, { org: string; n: number }>;
  let loads: number;
  const load = (org: string) => async () => ({ org, n: ++loads });

  beforeEach(() => {
    inv = fakeInvalidation();
    loads = 0;
    cache = new CoherentCache(inv as unknown as CacheInvalidation, {
      maxEntries: 10,
      ttlMs: 60_000,
      affects: (e, v) => e.kind === 'organisation' && v.org === e.id,
    });
  });

  it('serves hits without loading, and reloads only the entries an event concerns', async () => {
    await cache.getOrLoad('a', load(ORG_A));
    await cache.getOrLoad('b', load(ORG_B));
    expect(await cache.getOrLoad('a', load(ORG_A))).toEqual({ org: ORG_A, n: 1 });
    inv.emit({ kind: 'organisation', id: ORG_A });
    expect(await cache.getOrLoad('a', load(ORG_A))).toEqual({ org: ORG_A, n: 3 });
    expect(await cache.getOrLoad('b', load(ORG_B))).toEqual({ org: ORG_B, n: 2 });
  });

  it('does not cache a load that an invalidation overtook', async () => {
    let release!: () => void;
    const slow = cache.getOrLoad('a', async () => {
      await new Promise<void>((r) => (release = r));
      return { org: ORG_A, n: ++loads };
    });
    await Promise.resolve();
    inv.emit({ kind: 'organisation', id: ORG_B });
    release();
    expect(await slow).toEqual({ org: ORG_A, n: 1 });
    expect(await cache.getOrLoad('a', load(ORG_A))).toEqual({ org: ORG_A, n: 2 });
  });

  it('goes to the source while the listener is down, and forgets everything on reset', async () => {
    await cache.getOrLoad('a', load(ORG_A));
    inv.listening = false;
    expect((await cache.getOrLoad('a', load(ORG_A)))?.n).toBe(2);
    inv.listening = true;
    expect((await cache.getOrLoad('a', load(ORG_A)))?.n).toBe(1);
    inv.emit('reset');
    expect((await cache.getOrLoad('a', load(ORG_A)))?.n).toBe(3);
  });

  it('does not cache what the caller calls uncacheable, nor misses', async () => {
    await cache.getOrLoad('a', load(ORG_A), () => false);
    await cache.getOrLoad('a', load(ORG_A), () => false);
    expect(loads).toBe(2);
    let misses = 0;
    await cache.getOrLoad('x', async () => void misses++);
    await cache.getOrLoad('x', async () => void misses++);
    expect(misses).toBe(2);
  });
});

describe('parseInvalidation', () => {
  it('accepts kind:uuid for known kinds only', () => {
    expect(parseInvalidation(`api_key:${ORG_A}`)).toEqual({ kind: 'api_key', id: ORG_A });
    expect(parseInvalidation(`organisation:${ORG_B}`)).toEqual({ kind: 'organisation', id: ORG_B });
    expect(parseInvalidation(`session:${ORG_A}`)).toBeUndefined();
    expect(parseInvalidation('api_key:not-a-uuid')).toBeUndefined();
    expect(parseInvalidation(undefined)).toBeUndefined();
  });
});
