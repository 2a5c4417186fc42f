import { SecurityToken } from './security-token';

/** Tokens are scoped to all four: an ActAs token must never serve another provider (ato-pub commit 8e046a8). */
export interface TokenCacheKey {
  credentialId: string;
  /** The certificate (base64 SHA-1 of the leaf) when the caller knows it: says which credential a token came from. */
  credentialFingerprint?: string;
  appliesTo: string;
  secondPartyAbn?: string;
  ssid?: string;
}

export interface TokenCacheOptions {
  clock?: () => Date;
  maxEntries?: number;
  /** Refresh when less than this remains… */
  refreshAheadMs?: number;
  /** …or less than this share of the token's lifetime, whichever margin is smaller (so short tokens stay usable). */
  refreshAheadRatio?: number;
}

export interface TokenCacheResult {
  token: SecurityToken;
  /** True when served from the cache without waiting for an issue. */
  hit: boolean;
}

export class TokenCache {
  private readonly clock: () => Date;
  private readonly maxEntries: number;
  private readonly refreshAheadMs: number;
  private readonly refreshAheadRatio: number;
  /** Insertion order doubles as recency order: a hit re-inserts its entry. */
  private readonly tokens = new Map<string, SecurityToken>();
  private readonly inFlight = new Map<string, Promise<SecurityToken>>();
  /** The structured key of every stored or in-flight entry, for `invalidateWhere`. */
  private readonly keys = new Map<string, TokenCacheKey>();
  /** In-flight issues detached by `invalidateWhere`: their waiters get the token, the cache does not keep it. */
  private readonly detached = new Set<Promise<SecurityToken>>();

  constructor(opts: TokenCacheOptions = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.maxEntries = opts.maxEntries ?? 1000;
    this.refreshAheadMs = opts.refreshAheadMs ?? 5 * 60_000;
    this.refreshAheadRatio = opts.refreshAheadRatio ?? 0.1;
  }

  static keyOf(key: TokenCacheKey): string {
    return JSON.stringify([key.credentialId, key.credentialFingerprint ?? null, key.appliesTo, key.secondPartyAbn ?? null, key.ssid ?? null]);
  }

  async get(key: TokenCacheKey, issue: () => Promise<SecurityToken>): Promise<TokenCacheResult> {
    const k = TokenCache.keyOf(key);
    const cached = this.tokens.get(k);
    if (cached && this.isFresh(cached)) {
      this.tokens.delete(k);
      this.tokens.set(k, cached);
      return { token: cached, hit: true };
    }
    return { token: await this.issueOnce(k, key, issue), hit: false };
  }

  /** For when the relying party rejects a token before its expiry (e.g. the STS was reset). */
  invalidate(key: TokenCacheKey): void {
    const k = TokenCache.keyOf(key);
    this.tokens.delete(k);
    if (!this.inFlight.has(k)) this.keys.delete(k);
  }

  /**
   * Drops every token whose key matches (e.g. all tokens of the credentials a tenant just switched away from) and
   * detaches matching issues still in flight: their current waiters get the token, later callers start a new issue,
   * and the detached result is not stored. Calls already holding a token finish with it. Returns the tokens dropped.
   */
  invalidateWhere(matches: (key: TokenCacheKey) => boolean): number {
    let dropped = 0;
    for (const [k, key] of [...this.keys]) {
      if (!matches(key)) continue;
      if (this.tokens.delete(k)) dropped += 1;
      const pending = this.inFlight.get(k);
      if (pending) {
        this.detached.add(pending);
        this.inFlight.delete(k);
      }
      this.keys.delete(k);
    }
    return dropped;
  }

  clear(): void {
    this.tokens.clear();
    for (const pending of this.inFlight.values()) this.detached.add(pending);
    this.inFlight.clear();
    this.keys.clear();
  }

  get size(): number {
    return this.tokens.size;
  }

  private issueOnce(k: string, key: TokenCacheKey, issue: () => Promise<SecurityToken>): Promise<SecurityToken> {
    const pending = this.inFlight.get(k);
    if (pending) return pending;
    // The issue finds its own promise here: it starts after one microtask, so after this function has returned
    // (a synchronous throw from `issue` would otherwise settle before `inFlight` holds it, and stay there).
    const self: { p?: Promise<SecurityToken> } = {};
    const p = (async () => {
      await Promise.resolve();
      try {
        const token = await issue();
        if (!this.detached.has(self.p!)) this.store(k, key, token);
        return token;
      } finally {
        if (this.inFlight.get(k) === self.p) this.inFlight.delete(k);
        this.detached.delete(self.p!);
        if (!this.inFlight.has(k) && !this.tokens.has(k)) this.keys.delete(k);
      }
    })();
    self.p = p;
    this.inFlight.set(k, p);
    this.keys.set(k, key);
    return p;
  }

  private store(k: string, key: TokenCacheKey, token: SecurityToken): void {
    this.tokens.delete(k);
    if (!this.isFresh(token)) return;
    this.tokens.set(k, token);
    this.keys.set(k, key);
    for (const oldest of this.tokens.keys()) {
      if (this.tokens.size <= this.maxEntries) break;
      this.tokens.delete(oldest);
      if (!this.inFlight.has(oldest)) this.keys.delete(oldest);
    }
  }

  private isFresh(token: SecurityToken): boolean {
    const lifetime = token.expires.getTime() - token.created.getTime();
    const margin = Math.min(this.refreshAheadMs, Math.max(0, lifetime) * this.refreshAheadRatio);
    return token.expires.getTime() - this.clock().getTime() > margin;
  }
}
