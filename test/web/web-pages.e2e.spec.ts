import request from 'supertest';
import { AppConfig, loadConfig } from '@gateway/config/app-config';
import { DevMailboxController } from '@gateway/web/dev-mailbox/dev-mailbox.controller';
import { SignInController } from '@gateway/web/sign-in/sign-in.controller';
import { WebModule } from '@gateway/web/web.module';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

/** The web foundation over HTTP (no browser): headers, redirects, CSRF on forms, and the JSON API left as it was. */
describe('web pages', () => {
  let gw: GatewayTestApp;

  beforeAll(async () => {
    gw = await createGatewayApp();
  }, 60_000);
  afterAll(() => gw?.close());

  it('serves the landing page as HTML with a strict CSP and no framing', async () => {
    const res = await request(gw.http).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('href="/login"');
    expect(res.text).toContain('href="/signup"');
    expect(res.text).toContain('href="/docs"');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('sends HSTS (helmet: one year, subdomains), which production, behind TLS, relies on', async () => {
    const res = await request(gw.http).get('/').expect(200);
    const hsts = String(res.headers['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(hsts).toContain('includeSubDomains');
  });

  it('signs in through the form with an HttpOnly, SameSite=Lax session cookie that ends within 12 hours', async () => {
    const vendor = await gw.newVendor();
    const user = await gw.newUser({ vendorId: vendor.id, roles: ['vendor_admin'] });
    const agent = request.agent(gw.http);
    const page = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/login').type('form').send({ _csrf: csrf, email: user.email, password: user.password }).expect(303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('usi_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // Not Secure here (NODE_ENV=test, plain HTTP); production sets it (config.secureCookies, app-config.spec).
    expect(cookie).not.toMatch(/; Secure/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(expires - Date.now()).toBeLessThanOrEqual(12 * 3600_000 + 5_000);
    expect(expires - Date.now()).toBeGreaterThan(11 * 3600_000);
  });

  it('serves the stylesheet from the app', async () => {
    const res = await request(gw.http).get('/assets/site.css').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.text).toContain(':focus-visible');
  });

  it('leaves the JSON API and /docs without the pages’ CSP', async () => {
    const docs = await request(gw.http).get('/docs').redirects(1);
    expect(docs.headers['content-security-policy']).toBeUndefined();
    const api = await request(gw.http).get('/v1/auth/me').expect(401);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('the JSON login of an account with two-step sign-in', () => {
  let gw: GatewayTestApp;

  beforeAll(async () => {
    gw = await createGatewayApp();
  }, 60_000);
  afterAll(() => gw?.close());

  it('asks for the TOTP code, refuses a wrong one, and accepts the current one once', async () => {
    const vendor = await gw.newVendor();
    const user = await gw.newUser({ vendorId: vendor.id, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const login = (extra: object) => request(gw.http).post('/v1/auth/login').send({ email: user.email, password: user.password, ...extra });

    expect((await login({}).expect(401)).body.code).toBe('auth.mfa_required');
    const code = totpCode(secret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await login({ totpCode: wrong }).expect(401)).body.code).toBe('auth.invalid_mfa_code');
    const ok = await login({ totpCode: code }).expect(200);
    expect(ok.body.user.email).toBe(user.email);
    // The same code again is a replay.
    expect((await login({ totpCode: code }).expect(401)).body.code).toBe('auth.invalid_mfa_code');
  });
});

/** Where a finished sign-in lands when no page asked for it: the user's console, by role; a safe `next` wins. */
describe('the landing after sign-in', () => {
  let gw: GatewayTestApp;
  let vendorId: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
  }, 60_000);
  afterAll(() => gw?.close());

  /** Password then TOTP through the pages; answers where the second step sends the browser, and that page's status. */
  async function signIn(user: { id: string; email: string; password: string }, next?: string) {
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const agent = request.agent(gw.http);
    let page = await agent.get(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`).expect(200);
    const csrf = () => /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = next === undefined ? {} : { next };
    await agent.post('/login').type('form').send({ _csrf: csrf(), email: user.email, password: user.password, ...form }).expect(303);
    page = await agent.get('/login/mfa').expect(200);
    const done = await agent.post('/login/mfa').type('form').send({ _csrf: csrf(), code: totpCode(secret), ...form }).expect(303);
    const landing = String(done.headers.location);
    const opened = await agent.get(landing);
    return { landing, opened: opened.status === 303 ? `303 ${String(opened.headers.location)}` : opened.status };
  }

  it('takes vendor staff to the vendor console', async () => {
    for (const role of ['vendor_admin', 'vendor_developer'] as const) {
      const user = await gw.newUser({ vendorId, roles: [role] });
      expect({ role, ...(await signIn(user)) }).toEqual({ role, landing: '/vendor', opened: 200 });
    }
  });

  it("takes a vendor's support staff and platform staff to the support console", async () => {
    const support = await gw.newUser({ vendorId, roles: ['support'] });
    expect(await signIn(support)).toEqual({ landing: '/support', opened: '303 /support/audit' });
    for (const role of ['platform_support', 'platform_admin'] as const) {
      const staff = await gw.newUser({ vendorId: null, roles: [role] });
      expect({ role, ...(await signIn(staff)) }).toEqual({ role, landing: '/support', opened: '303 /support/audit' });
    }
  });

  it('takes a provider user to the provider pages, and a new account without an organisation to its registration', async () => {
    const organisation = await gw.newOrganisation(vendorId);
    const provider = await gw.newUser({ vendorId, roles: ['provider_viewer'], organisationId: organisation.id });
    expect(await signIn(provider)).toEqual({ landing: '/provider', opened: '303 /provider/organisation' });
    const newcomer = await gw.newUser({ vendorId: null, roles: [] });
    expect(await signIn(newcomer)).toEqual({ landing: '/provider', opened: '303 /provider/organisation/new' });
  });

  it('honours a same-origin `next` and ignores one that leaves the site', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    expect(await signIn(user, '/account')).toEqual({ landing: '/account', opened: 200 });
    const other = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    expect((await signIn(other, '//evil.example/vendor')).landing).toBe('/vendor');
  });
});

describe('in production', () => {
  it('registers no development mailbox (it shows every email, reset links included, to anyone)', () => {
    const controllers = (env: AppConfig['nodeEnv']) => WebModule.forRoot(loadConfig({ NODE_ENV: env, DATABASE_URL: 'postgres://x@127.0.0.1/x', SESSION_SECRET: 's'.repeat(40), METRICS_TOKEN: 'm'.repeat(40) })).controllers ?? [];
    expect(controllers('development')).toContain(DevMailboxController);
    expect(controllers('production')).not.toContain(DevMailboxController);
    expect(controllers('production')).toContain(SignInController);
  });
});
