export type CacheState = 'hit' | 'miss' | 'stale';

export interface ReferenceCacheOptions {
  ttlMs: number;
  /** Which load failures may be answered from an expired entry (outages, not refusals). */
  serveStaleOn: (err: unknown) => boolean;
  now?: () => number;
}

/**
 * Reference data changes a few times a year and is the same for every organisation, so one copy per upstream
 * environment is kept. When a refresh fails with an outage the last good copy is served (stale-while-revalidate), so
 * a registry hiccup does not break form drop-downs. Misses are not shared between callers: a load runs under one
 * organisation's authorisation, and its refusal must not become another tenant's answer.
 */
export class ReferenceDataCache {
  private readonly entries = new Map<string, { value: unknown; loadedAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ReferenceCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<{ value: T; state: CacheState }> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.options.ttlMs) return { value: entry.value as T, state: 'hit' };
    try {
      const value = await load();
      this.entries.set(key, { value, loadedAt: this.now() });
      return { value, state: 'miss' };
    } catch (err) {
      if (entry && this.options.serveStaleOn(err)) return { value: entry.value as T, state: 'stale' };
      throw err;
    }
  }
}
