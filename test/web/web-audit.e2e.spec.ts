import request from 'supertest';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';

/** The form's hidden CSRF token on the page last fetched by the agent. */
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * Issue 15: sign-in, second-factor failure and enrolment, password change and reset, and logout are audit events,
 * with no password, code, secret or link in them. Through the pages, as a browser without JavaScript would.
 */
describe('web sign-in audit events', () => {
  let gw: GatewayTestApp;
  let vendorId: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
  }, 60_000);
  afterAll(() => gw?.close());

  const events = (userId: string) =>
    queryAs<{ type: string; details: Record<string, unknown> }>(
      gw.db.ownerUrl,
      `select type, details from audit_events where details->>'userId' = $1 order by chain_seq`,
      [userId],
    );

  it('records each step without secrets', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const agent = request.agent(gw.http);

    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/login/mfa');
    page = await agent.get('/login/mfa').expect(200);
    const code = totpCode(secret);
    const wrong = String((Number(code) + 3) % 1_000_000).padStart(6, '0');
    page = await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: wrong }).expect(422);
    expect(page.text).toContain('id="field-code-error"');
    await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code }).expect(303).expect('Location', '/vendor');

    page = await agent.get('/account').expect(200);
    const newPassword = 'another long passphrase here';
    await agent.post('/account/password').type('form').send({ _csrf: csrfOf(page.text), currentPassword: user.password, newPassword }).expect(303);
    // The change ended every session, this one too.
    await agent.get('/account').expect(303).expect('Location', '/login?next=%2Faccount');

    page = await agent.get('/password/forgot').expect(200);
    await agent.post('/password/forgot').type('form').send({ _csrf: csrfOf(page.text), email: user.email }).expect(200);
    const [mail] = await queryAs<{ text_body: string }>(gw.db.ownerUrl, `select text_body from email_outbox where to_address = $1 and template = 'auth.password_reset'`, [user.email]);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text_body)![1]);
    page = await agent.get(`/password/reset?token=${encodeURIComponent(token)}`).expect(200);
    await agent.post('/password/reset').type('form').send({ _csrf: csrfOf(page.text), token, password: 'a third long passphrase', confirm: 'a third long passphrase' }).expect(200);
    await agent.post('/password/reset').type('form').send({ _csrf: csrfOf(page.text), token, password: 'a fourth long passphrase', confirm: 'a fourth long passphrase' }).expect(400);

    page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: 'a third long passphrase' }).expect(303);
    page = await agent.get('/login/mfa').expect(200);
    const later = totpCode(secret, new Date(Date.now() + 30_000));
    await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: later }).expect(303);
    page = await agent.get('/account').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('Location', '/login?signed_out=1');

    const recorded = await events(user.id);
    expect(recorded.map((e) => e.type)).toEqual([
      'auth.mfa_failed',
      'auth.mfa_verified',
      'auth.login',
      'auth.password_changed',
      'auth.password_reset_requested',
      'auth.password_reset',
      'auth.mfa_verified',
      'auth.login',
      'auth.logout',
    ]);
    expect(recorded.find((e) => e.type === 'auth.login')!.details).toMatchObject({ mfa: 'totp' });
    const all = JSON.stringify(recorded);
    for (const secretText of [user.password, newPassword, code, wrong, later, secret, token, user.email]) expect(all).not.toContain(secretText);
  });

  it('records an enrolment', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/mfa/setup');
    page = await agent.get('/mfa/setup').expect(200);
    const secret = /id="totp-secret">([^<]+)</.exec(page.text)![1].replace(/\s/g, '');
    page = await agent.post('/mfa/setup').type('form').send({ _csrf: csrfOf(page.text), code: totpCode(secret) }).expect(200);
    expect(page.text).toContain('recovery-codes');
    const codes = [...page.text.matchAll(/<li>([A-Z0-9]{5}-[A-Z0-9]{5})<\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect((await events(user.id)).map((e) => e.type)).toEqual(['auth.mfa_enrolled', 'auth.login']);
    const [row] = await queryAs<{ totp_secret: string; recovery_code_hashes: string[] }>(gw.db.ownerUrl, `select totp_secret, recovery_code_hashes from users where id = $1`, [user.id]);
    // Stored sealed and hashed, never in clear.
    expect(row.totp_secret).not.toContain(secret);
    expect(row.recovery_code_hashes).toHaveLength(10);
    expect(JSON.stringify(row)).not.toContain(codes[0]);
  });

  it('remembers the device for the second factor (≤ 24 h) until the user signs out everywhere, and ends idle sessions', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303);
    page = await agent.get('/login/mfa').expect(200);
    const res = await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: totpCode(secret), remember: 'yes' }).expect(303);
    const device = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('usi_mfa_device='))!;
    const expires = Date.parse(/Expires=([^;]+)/.exec(device)![1]);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000 + 5_000);
    expect(device).toMatch(/HttpOnly/);

    // Idle for more than 30 minutes: the session is over.
    await queryAs(gw.db.ownerUrl, `update sessions set last_seen_at = now() - interval '31 minutes' where user_id = $1`, [user.id]);
    await agent.get('/account').expect(303).expect('Location', '/login?next=%2Faccount');

    // The remembered device skips the code.
    page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/vendor');
    page = await agent.get('/account').expect(200);
    await agent.post('/logout/everywhere').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);

    // Signing out everywhere forgets it: the code is asked again.
    page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/login/mfa');
  });
});
