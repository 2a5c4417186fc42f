import { createHmac, hkdfSync } from 'node:crypto';
import type { Request } from 'express';
import { CsrfProtection } from './csrf-protection.service';
import { CsrfTokens } from './csrf-token';

const SESSION = 'session-token-a';
const tokens = CsrfTokens.fromSecret('s'.repeat(32), () => Buffer.alloc(32));
const csrf = new CsrfProtection(tokens);

/** The slice of an Express request the check reads. */
function req(method: string, headers: Record<string, string | string[]>, body?: unknown): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    headers: lower,
    body,
    protocol: 'https',
    get: (name: string) => lower[name.toLowerCase()],
    is: (type: string) => (String(lower['content-type'] ?? '').startsWith(type) ? type : false),
  } as unknown as Request;
}

const passes = (r: Request, originCheck: boolean) => {
  try {
    csrf.assert(r, SESSION, { originCheck });
    return true;
  } catch (err) {
    expect((err as { code?: string }).code).toBe('auth.csrf');
    return false;
  }
};

describe('CsrfProtection', () => {
  const host = { host: 'gw.example' };

  it('binds the token to the session and to the secret', () => {
    expect(tokens.tokenFor(SESSION)).toBe(tokens.tokenFor(SESSION));
    expect(tokens.tokenFor(SESSION)).not.toBe(tokens.tokenFor('session-token-b'));
    expect(CsrfTokens.fromSecret('t'.repeat(32), () => Buffer.alloc(32)).tokenFor(SESSION)).not.toBe(tokens.tokenFor(SESSION));
    expect(tokens.tokenFor(SESSION)).not.toContain(SESSION);
    expect(csrf.tokenFor(SESSION)).toBe(tokens.tokenFor(SESSION));
  });

  it('derives its key from the secret with HKDF under its own label (tokens stay valid across instances and releases)', () => {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from('s'.repeat(32)), Buffer.alloc(0), 'usi-gateway csrf token', 32));
    expect(tokens.tokenFor(SESSION)).toBe(createHmac('sha256', key).update(SESSION).digest('base64url'));
  });

  it('never matches, and never throws on, a candidate that is not a non-empty string or has the wrong length', () => {
    const token = tokens.tokenFor(SESSION);
    for (const candidate of [undefined, null, 42, ['x'], { token }, '', token.slice(1), token + 'A']) {
      expect(tokens.matches(SESSION, candidate)).toBe(false);
    }
    expect(tokens.matches(SESSION, token)).toBe(true);
  });

  it('says how to pass the check', () => {
    expect(() => csrf.assert(req('POST', host), SESSION, { originCheck: true })).toThrow(/X-CSRF-Token/);
  });

  it.each<[string, Request, boolean, boolean]>([
    // [case, request, passes on a JSON API route, passes on a token-only (form) route]
    ['GET without anything', req('GET', host), true, true],
    ['HEAD without anything', req('HEAD', host), true, true],
    ['OPTIONS (a CORS preflight) without anything', req('OPTIONS', host), true, true],
    ['PUT without anything', req('PUT', host), false, false],
    ['a form POST without a body', req('POST', { ...host, 'content-type': 'application/x-www-form-urlencoded' }, null), false, false],
    ['a form POST with a non-string field', req('POST', { ...host, 'content-type': 'application/x-www-form-urlencoded' }, { _csrf: [tokens.tokenFor(SESSION)] }), false, false],
    // Node joins repeated headers into one string; a list here is malformed input: never proof, never a crash.
    ['POST with a repeated Sec-Fetch-Site and its own Origin', req('POST', { ...host, 'Sec-Fetch-Site': ['same-origin', 'same-origin'], Origin: 'https://gw.example' }), true, false],
    ['POST with a repeated Origin', req('POST', { ...host, Origin: ['https://gw.example', 'https://gw.example'] }), false, false],
    ['POST with the header token', req('POST', { ...host, 'X-CSRF-Token': tokens.tokenFor(SESSION) }), true, true],
    ['POST with the token in a form field', req('POST', { ...host, 'content-type': 'application/x-www-form-urlencoded' }, { _csrf: tokens.tokenFor(SESSION) }), true, true],
    ['POST with the token in a JSON body (not read)', req('POST', { ...host, 'content-type': 'application/json' }, { _csrf: tokens.tokenFor(SESSION) }), false, false],
    ['POST with Sec-Fetch-Site: same-origin', req('POST', { ...host, 'Sec-Fetch-Site': 'same-origin' }), true, false],
    ['POST with its own Origin', req('POST', { ...host, Origin: 'https://gw.example' }), true, false],
    ['POST with the right host but another scheme', req('POST', { ...host, Origin: 'http://gw.example' }), false, false],
    ['POST with Sec-Fetch-Site: none', req('POST', { ...host, 'Sec-Fetch-Site': 'none' }), false, false],
    ['POST with nothing', req('POST', host), false, false],
    ['DELETE with a token of another session', req('DELETE', { ...host, 'X-CSRF-Token': tokens.tokenFor('session-token-b') }), false, false],
  ])('%s', (_, r, json, form) => {
    expect([passes(r, true), passes(r, false)]).toEqual([json, form]);
  });
});
