import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { CsrfTokens } from '@gateway/auth/csrf/csrf-token';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { SessionService, SignInFactor } from '@gateway/auth/sessions/session.service';
import { isPagePath } from '@gateway/web/page-paths';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { WEB_CALLERS, WEB_ROUTE_MATRIX, WebCaller, WebOutcome } from './support/web-route-access.matrix';

type ExpressLayer = { route?: { path: string; methods: Record<string, boolean> } };

/** What happened, in the matrix's words. */
function outcomeOf(res: request.Response): string {
  if (res.status >= 200 && res.status < 300) return 'page';
  if (res.status === 303) {
    const location = String(res.headers.location);
    if (location.startsWith('/login?') || location === '/login') return location.includes('signed_out') || location.includes('password_changed') ? 'redirect' : 'sign_in';
    if (location.startsWith('/login/mfa') || location.startsWith('/mfa/setup')) return 'second_factor';
    return 'redirect';
  }
  if (res.status === 403) return 'forbidden';
  return String(res.status);
}

function matches(expected: WebOutcome, actual: string, status: number): boolean {
  if (expected === 'passes') return status < 500 && !['sign_in', 'second_factor', 'forbidden'].includes(actual);
  return actual === expected;
}

/**
 * Issue 15: every web route against every kind of browser caller, through the real page guard. Each request carries
 * a valid form CSRF token, so only access decides; the CSRF refusal itself is tested in the browser suite.
 */
describe('web route access matrix: every page route × every browser caller', () => {
  let gw: GatewayTestApp;
  let tokens: CsrfTokens;
  let apiKey: string;
  let enrolled: { id: string; vendorId: string | null; organisationId: string | null; email: string; roles: ['provider_admin'] };
  let unenrolled: { email: string; password: string };

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '10000' } });
    tokens = gw.app.get(CsrfTokens);
    const vendor = await gw.newVendor();
    const organisation = await gw.newOrganisation(vendor.id);
    apiKey = (await gw.newApiKey(vendor.id)).key;
    const user = await gw.newUser({ vendorId: vendor.id, organisationId: organisation.id, roles: ['provider_admin'] });
    await gw.app.get(MfaService).enrolWithSecret(user.id);
    enrolled = { id: user.id, vendorId: user.vendorId, organisationId: user.organisationId, email: user.email, roles: ['provider_admin'] };
    unenrolled = await gw.newUser({ vendorId: vendor.id, organisationId: organisation.id, roles: ['provider_admin'] });
  }, 60_000);
  afterAll(() => gw?.close());

  it('has an entry for every page route, and none for a route that does not exist', () => {
    const express = gw.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
    const registered = express.router.stack
      .flatMap((l) => (l.route && isPagePath(l.route.path) ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`) : []))
      // Nest mounts module middleware as catch-all routes (`/{*path}`): not pages.
      .filter((r) => !r.startsWith('_ALL') && !r.includes('{*'));
    const inMatrix = Object.keys(WEB_ROUTE_MATRIX);
    expect({ missing: registered.filter((r) => !inMatrix.includes(r)), stale: inMatrix.filter((r) => !registered.includes(r)) }).toEqual({
      missing: [],
      stale: [],
    });
  });

  /** A fresh credential per request (logout routes end theirs), with the form token bound to it. */
  async function credentials(caller: WebCaller): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }> {
    const sessions = gw.app.get(SessionService);
    const issue = async (mfa: SignInFactor) => (await sessions.issue(enrolled, { clientAddress: '127.0.0.1', mfa })).token;
    const form = randomBytes(12).toString('base64url');
    const anonymous = { cookie: `usi_form=${form}`, csrf: tokens.tokenFor(`form:${form}`), headers: {} };
    switch (caller) {
      case 'anonymous':
        return anonymous;
      case 'apiKey':
        return { ...anonymous, headers: { Authorization: `Bearer ${apiKey}` } };
      case 'unenrolled': {
        const s = await gw.session(unenrolled.email, unenrolled.password);
        const token = s.Cookie.split('=')[1];
        return { cookie: s.Cookie, csrf: tokens.tokenFor(token), headers: {} };
      }
      default: {
        const token = await issue(caller === 'pending' ? 'pending' : 'totp');
        return { cookie: `usi_session=${token}`, csrf: tokens.tokenFor(token), headers: {} };
      }
    }
  }

  /** Every state-changing page route, as registered (not as listed), refuses a form without its token before anything else. */
  it('refuses every page POST without its CSRF token, for a signed-out and a signed-in caller alike', async () => {
    const express = gw.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
    const posts = express.router.stack.filter((l) => l.route && isPagePath(l.route.path) && l.route.methods.post && !l.route.path.includes('{*')).map((l) => `POST ${l.route!.path}`);
    expect(posts.length).toBeGreaterThan(10);
    const accepted: string[] = [];
    for (const route of posts) {
      const path = WEB_ROUTE_MATRIX[route]?.[0]?.path ?? route.slice(5).replace(/:(\w+)/g, '00000000-0000-0000-0000-000000000000');
      const form = WEB_ROUTE_MATRIX[route]?.[0]?.form ?? {};
      for (const caller of ['anonymous', 'verified'] as const) {
        const c = await credentials(caller);
        const res = await request(gw.http).post(path).type('form').send(form).set('Cookie', c.cookie).redirects(0);
        if (res.status !== 403) accepted.push(`${route} · ${caller}: ${res.status}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each(Object.keys(WEB_ROUTE_MATRIX))('%s', async (route) => {
    const [method] = route.split(' ');
    const mismatches: string[] = [];
    for (const { label, path, form, expected } of WEB_ROUTE_MATRIX[route]) {
      for (const caller of WEB_CALLERS) {
        const c = await credentials(caller);
        const req = method === 'GET' ? request(gw.http).get(path) : request(gw.http).post(path).type('form').send({ ...form, _csrf: c.csrf });
        const res = await req.set('Cookie', c.cookie).set(c.headers).redirects(0);
        const actual = outcomeOf(res);
        if (!matches(expected[caller], actual, res.status)) mismatches.push(`${label} · ${caller}: expected ${expected[caller]}, got ${actual}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
