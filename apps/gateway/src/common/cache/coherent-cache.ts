import { CacheInvalidation, InvalidationEvent } from './cache-invalidation.service';
import { TtlLruCache } from './ttl-lru-cache';

export interface CoherentCacheOptions<K, V> {
  maxEntries: number;
  ttlMs: number;
  /** Whether an invalidation event concerns a cached entry. */
  affects(event: InvalidationEvent, value: V, key: K): boolean;
  now?: () => number;
}

/**
 * A TTL/LRU cache that stays coherent with the database through `CacheInvalidation`. A load that was running while
 * an invalidation arrived is returned to its caller but not cached: it may have read the row before the change.
 */
export class CoherentCache<K, V> {
  private readonly entries: TtlLruCache<K, V>;
  private generation = 0;

  constructor(
    private readonly invalidation: CacheInvalidation,
    options: CoherentCacheOptions<K, V>,
  ) {
    this.entries = new TtlLruCache(options.maxEntries, options.ttlMs, options.now);
    invalidation.subscribe((event) => {
      this.generation += 1;
      if (event === 'reset') this.entries.clear();
      else this.entries.deleteWhere((value, key) => options.affects(event, value, key));
    });
  }

  /** `cacheable`: negative or transient answers should be read again next time. */
  async getOrLoad(key: K, load: () => Promise<V | undefined>, cacheable: (value: V) => boolean = () => true): Promise<V | undefined> {
    if (this.invalidation.listening) {
      const hit = this.entries.get(key);
      if (hit !== undefined) return hit;
    }
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && cacheable(value) && this.invalidation.listening && generation === this.generation) {
      this.entries.set(key, value);
    }
    return value;
  }
}
