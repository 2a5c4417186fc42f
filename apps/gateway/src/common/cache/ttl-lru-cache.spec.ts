import { TtlLruCache } from './ttl-lru-cache';

describe('TtlLruCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('evicts the least recently used entry past the bound', () => {
    const cache = new TtlLruCache<string, number>(2, 1_000, clock);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('expires entries after the TTL', () => {
    const cache = new TtlLruCache<string, number>(10, 500, clock);
    cache.set('a', 1);
    now += 499;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a TTL of 0 disables caching', () => {
    const cache = new TtlLruCache<string, number>(10, 0, clock);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('deletes by predicate', () => {
    const cache = new TtlLruCache<string, { vendor: string }>(10, 1_000, clock);
    cache.set('k1', { vendor: 'A' });
    cache.set('k2', { vendor: 'B' });
    cache.set('k3', { vendor: 'A' });
    expect(cache.deleteWhere((v) => v.vendor === 'A')).toBe(2);
    expect(cache.get('k2')).toEqual({ vendor: 'B' });
    expect(cache.size).toBe(1);
  });
});
