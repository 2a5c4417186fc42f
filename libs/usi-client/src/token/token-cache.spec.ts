import { SecurityToken } from './security-token';
import { TokenCache, TokenCacheKey } from './token-cache';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const MIN = 60_000;

function fakeClock(start = T0) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function tokenFor(label: string, createdMs: number, lifetimeMs: number): SecurityToken {
  return {
    tokenXml: `<t>${label}</t>`,
    attachedReferenceXml: '<str/>',
    proofKey: Buffer.alloc(32, 1),
    created: new Date(createdMs),
    expires: new Date(createdMs + lifetimeMs),
  };
}

const key: TokenCacheKey = { credentialId: 'ABRD:11000002568_INGLETON153', appliesTo: 'https://usi', secondPartyAbn: '96312011219', ssid: '0000123400' };

describe('TokenCache', () => {
  it('issues once for 50 concurrent callers and hands all of them the same token', async () => {
    const { clock } = fakeClock();
    const cache = new TokenCache({ clock });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const issue = jest.fn(async () => {
      await gate;
      return tokenFor('a', T0, 60 * MIN);
    });
    const all = Promise.all(Array.from({ length: 50 }, () => cache.get(key, issue)));
    release();
    const results = await all;
    expect(issue).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(results.every((r) => !r.hit)).toBe(true);
    expect((await cache.get(key, issue)).hit).toBe(true);
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('shares a failure with the waiters but does not cache it', async () => {
    const cache = new TokenCache(fakeClock());
    const failing = jest.fn(async () => {
      throw new Error('sts down');
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get(key, failing)));
    expect(failing).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const ok = jest.fn(async () => tokenFor('b', T0, 60 * MIN));
    expect((await cache.get(key, ok)).token.tokenXml).toBe('<t>b</t>');
    expect(ok).toHaveBeenCalledTimes(1);
  });

  it('refreshes 5 minutes before expiry for a one-hour token', async () => {
    const c = fakeClock();
    const cache = new TokenCache({ clock: c.clock });
    const issue = jest.fn(async () => tokenFor('h', c.clock().getTime(), 60 * MIN));
    await cache.get(key, issue);
    c.advance(54 * MIN);
    expect((await cache.get(key, issue)).hit).toBe(true);
    c.advance(1 * MIN + 1);
    expect((await cache.get(key, issue)).hit).toBe(false);
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('uses 10% of the lifetime as the margin for short tokens', async () => {
    const c = fakeClock();
    const cache = new TokenCache({ clock: c.clock });
    const issue = jest.fn(async () => tokenFor('s', c.clock().getTime(), 10 * MIN));
    await cache.get(key, issue);
    c.advance(8 * MIN);
    expect((await cache.get(key, issue)).hit).toBe(true);
    c.advance(1 * MIN + 1);
    expect((await cache.get(key, issue)).hit).toBe(false);
  });

  it('never shares a token across providers, SSIDs, AppliesTo values or credentials', async () => {
    const cache = new TokenCache(fakeClock());
    let issued = 0;
    const issue = jest.fn(async () => tokenFor(String(issued++), T0, 60 * MIN));
    const variants: TokenCacheKey[] = [
      key,
      { ...key, secondPartyAbn: '53004085616' },
      { ...key, ssid: '0000999999' },
      { ...key, appliesTo: 'https://other' },
      { ...key, credentialId: 'ABRD:27809366375_USIMachine' },
      { credentialId: key.credentialId, appliesTo: key.appliesTo },
    ];
    const tokens = await Promise.all(variants.map((k) => cache.get(k, issue)));
    expect(issue).toHaveBeenCalledTimes(variants.length);
    expect(new Set(tokens.map((t) => t.token.tokenXml)).size).toBe(variants.length);
  });

  it('keeps at most maxEntries tokens, evicting the least recently used', async () => {
    const cache = new TokenCache({ ...fakeClock(), maxEntries: 2 });
    const issue = jest.fn(async () => tokenFor('x', T0, 60 * MIN));
    const k = (id: string) => ({ credentialId: id, appliesTo: 'u' });
    await cache.get(k('a'), issue);
    await cache.get(k('b'), issue);
    await cache.get(k('a'), issue);
    await cache.get(k('c'), issue);
    expect(cache.size).toBe(2);
    expect((await cache.get(k('a'), issue)).hit).toBe(true);
    expect((await cache.get(k('b'), issue)).hit).toBe(false);
  });

  it('issues again after invalidate', async () => {
    const cache = new TokenCache(fakeClock());
    const issue = jest.fn(async () => tokenFor('x', T0, 60 * MIN));
    await cache.get(key, issue);
    cache.invalidate(key);
    expect((await cache.get(key, issue)).hit).toBe(false);
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('keeps tokens of different certificates under the same credential id apart', async () => {
    const cache = new TokenCache(fakeClock());
    let n = 0;
    const issue = jest.fn(async () => tokenFor(String(n++), T0, 60 * MIN));
    await cache.get({ ...key, credentialFingerprint: 'aaa=' }, issue);
    await cache.get({ ...key, credentialFingerprint: 'bbb=' }, issue);
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('invalidateWhere drops the matching tokens only', async () => {
    const cache = new TokenCache(fakeClock());
    const issue = jest.fn(async () => tokenFor('x', T0, 60 * MIN));
    const old1 = { ...key, credentialId: 'old' };
    const old2 = { credentialId: 'old', appliesTo: 'https://usi' };
    const other = { ...key, credentialId: 'new' };
    for (const k of [old1, old2, other]) await cache.get(k, issue);
    expect(cache.invalidateWhere((k) => k.credentialId === 'old')).toBe(2);
    expect(cache.size).toBe(1);
    expect((await cache.get(other, issue)).hit).toBe(true);
    expect((await cache.get(old1, issue)).hit).toBe(false);
  });

  it('invalidateWhere detaches an issue in flight: its waiters get the token, the cache does not keep it', async () => {
    const cache = new TokenCache(fakeClock());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = jest.fn(async () => {
      await gate;
      return tokenFor('before', T0, 60 * MIN);
    });
    const waiting = cache.get(key, slow);
    cache.invalidateWhere(() => true);
    const fresh = jest.fn(async () => tokenFor('after', T0, 60 * MIN));
    const after = cache.get(key, fresh);
    release();
    expect((await waiting).token.tokenXml).toBe('<t>before</t>');
    expect((await after).token.tokenXml).toBe('<t>after</t>');
    expect(fresh).toHaveBeenCalledTimes(1);
    const again = await cache.get(key, fresh);
    expect(again).toMatchObject({ hit: true, token: { tokenXml: '<t>after</t>' } });
  });
});
