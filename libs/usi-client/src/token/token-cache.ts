import { SecurityToken } from './security-token';

/** Tokens are scoped to all four: an ActAs token must never serve another provider (ato-pub commit 8e046a8). */
export interface TokenCacheKey {
  credentialId: string;
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

  constructor(opts: TokenCacheOptions = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.maxEntries = opts.maxEntries ?? 1000;
    this.refreshAheadMs = opts.refreshAheadMs ?? 5 * 60_000;
    this.refreshAheadRatio = opts.refreshAheadRatio ?? 0.1;
  }

  static keyOf(key: TokenCacheKey): string {
    return JSON.stringify([key.credentialId, key.appliesTo, key.secondPartyAbn ?? null, key.ssid ?? null]);
  }

  async get(key: TokenCacheKey, issue: () => Promise<SecurityToken>): Promise<TokenCacheResult> {
    const k = TokenCache.keyOf(key);
    const cached = this.tokens.get(k);
    if (cached && this.isFresh(cached)) {
      this.tokens.delete(k);
      this.tokens.set(k, cached);
      return { token: cached, hit: true };
    }
    return { token: await this.issueOnce(k, issue), hit: false };
  }

  /** For when the relying party rejects a token before its expiry (e.g. the STS was reset). */
  invalidate(key: TokenCacheKey): void {
    this.tokens.delete(TokenCache.keyOf(key));
  }

  clear(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }

  private issueOnce(k: string, issue: () => Promise<SecurityToken>): Promise<SecurityToken> {
    const pending = this.inFlight.get(k);
    if (pending) return pending;
    const p = (async () => {
      try {
        const token = await issue();
        this.store(k, token);
        return token;
      } finally {
        this.inFlight.delete(k);
      }
    })();
    this.inFlight.set(k, p);
    return p;
  }

  private store(k: string, token: SecurityToken): void {
    this.tokens.delete(k);
    if (!this.isFresh(token)) return;
    this.tokens.set(k, token);
    for (const oldest of this.tokens.keys()) {
      if (this.tokens.size <= this.maxEntries) break;
      this.tokens.delete(oldest);
    }
  }

  private isFresh(token: SecurityToken): boolean {
    const lifetime = token.expires.getTime() - token.created.getTime();
    const margin = Math.min(this.refreshAheadMs, Math.max(0, lifetime) * this.refreshAheadRatio);
    return token.expires.getTime() - this.clock().getTime() > margin;
  }
}
