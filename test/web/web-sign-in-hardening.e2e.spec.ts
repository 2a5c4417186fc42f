import { Logger } from '@nestjs/common';
import request from 'supertest';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { newRecoveryCodes, recoveryCodeHash } from '@gateway/auth/mfa/recovery-codes';
import { totpCode } from '@gateway/auth/mfa/totp';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';

/** The form's hidden CSRF token on the page last fetched. */
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
/** The message shown next to a field, without its hidden "Error:" prefix. */
const fieldError = (html: string, field: string) =>
  new RegExp(`id="field-${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(html)?.[1]?.trim();

/**
 * Issue 15 through the sign-in pages (not the JSON login): throttling per account and per address with messages
 * that never say whether the email exists, and the password policy (≥ 12 characters, no common password) on every
 * form that sets a password, password change and reset included.
 */
describe('web sign-in hardening', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let address = 0;
  const nextAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '8' } });
    vendorId = (await gw.newVendor()).id;
  }, 60_000);
  afterAll(() => gw?.close());

  /** A signed-out browser at one address: the sign-in form's token, then posts of it. */
  async function signInForm(from: string) {
    const agent = request.agent(gw.http);
    const page = await agent.get('/login').set('X-Forwarded-For', from).expect(200);
    const csrf = csrfOf(page.text);
    return (email: string, password: string) =>
      agent.post('/login').set('X-Forwarded-For', from).type('form').send({ _csrf: csrf, email, password });
  }

  it('locks an (account, address) pair after 5 wrong passwords with the same words for an unknown email, and only that pair', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const from = nextAddress();
    const post = await signInForm(from);
    const wrong = await post(user.email, 'not the password at all');
    expect(wrong.status).toBe(422);
    const unknown = await (await signInForm(nextAddress()))(`nobody-${address}@example.test`, 'not the password at all');
    expect(unknown.status).toBe(422);
    // A wrong password and an unknown email read the same.
    expect(fieldError(wrong.text, 'password')).toBe(fieldError(unknown.text, 'password'));
    expect(unknown.text).not.toMatch(/no account|not registered|unknown/i);

    for (let i = 0; i < 4; i++) expect((await post(user.email, `wrong-${i}`)).status).toBe(422);
    // Locked: even the right password is refused here, with Retry-After and a message that names no cause.
    const locked = await post(user.email, user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(fieldError(locked.text, 'password')).toBe('Too many attempts. Wait a few minutes, then try again.');
    expect(locked.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^usi_session=/)]));

    // An unknown email is locked the same way, so the lock reveals nothing either.
    const ghostFrom = nextAddress();
    const ghost = await signInForm(ghostFrom);
    for (let i = 0; i < 5; i++) await ghost(`ghost-${ghostFrom}@example.test`, `wrong-${i}`);
    const ghostLocked = await ghost(`ghost-${ghostFrom}@example.test`, 'anything at all');
    expect(ghostLocked.status).toBe(429);
    expect(fieldError(ghostLocked.text, 'password')).toBe(fieldError(locked.text, 'password'));

    // The owner, from another address, still gets in.
    const owner = await (await signInForm(nextAddress()))(user.email, user.password);
    expect([owner.status, owner.headers.location]).toEqual([303, '/mfa/setup']);
  });

  it('refuses an address that fails too often, whatever the emails, and leaves other addresses alone', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const from = nextAddress();
    const post = await signInForm(from);
    let refused: request.Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await post(`spray-${i}-${from}@example.test`, 'Winter2026!!');
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(422);
    }
    expect(refused).toBeDefined();
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(fieldError(refused!.text, 'password')).toBe('Too many attempts. Wait a few minutes, then try again.');
    // A real account with its right password is refused from that address too, and nothing is signed in.
    const blocked = await post(user.email, user.password);
    expect(blocked.status).toBe(429);
    const elsewhere = await (await signInForm(nextAddress()))(user.email, user.password);
    expect(elsewhere.status).toBe(303);
  });

  it('locks the second step after 5 wrong codes: even the right code then waits', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303);
    page = await agent.get('/login/mfa').expect(200);
    const code = totpCode(secret);
    for (let i = 1; i <= 5; i++) {
      const wrong = String((Number(code) + i * 7919) % 1_000_000).padStart(6, '0');
      page = await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: wrong }).expect(422);
    }
    const locked = await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code }).expect(429);
    expect(fieldError(locked.text, 'code')).toMatch(/Too many wrong codes/);
    await agent.get('/account').expect(303).expect('Location', '/login/mfa');
  });

  it('counts wrong second-step codes against the address too, across accounts', async () => {
    const from = nextAddress();
    /** Signed in with the password at `from`, at the second step: posts a code. */
    const atSecondStep = async () => {
      const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
      await gw.app.get(MfaService).enrolWithSecret(user.id);
      const agent = request.agent(gw.http);
      let page = await agent.get('/login').set('X-Forwarded-For', from).expect(200);
      await agent.post('/login').set('X-Forwarded-For', from).type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303);
      page = await agent.get('/login/mfa').set('X-Forwarded-For', from).expect(200);
      const csrf = csrfOf(page.text);
      return (code: string) => agent.post('/login/mfa').set('X-Forwarded-For', from).type('form').send({ _csrf: csrf, code });
    };
    let refused: request.Response | undefined;
    // 4 wrong codes per account stay under each account's own lock (5): only the address can be refused.
    for (let account = 0; account < 4 && !refused; account++) {
      const post = await atSecondStep();
      for (let i = 1; i <= 4 && !refused; i++) {
        const res = await post(String((123456 + i * 104729 + account) % 1_000_000).padStart(6, '0'));
        if (res.status === 429) refused = res;
        else expect(res.status).toBe(422);
      }
    }
    expect(refused).toBeDefined();
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(fieldError(refused!.text, 'code')).toBe('Too many wrong codes. Wait a few minutes, then try again.');
  });

  it('answers a reset request for an unknown email exactly as for a known one, and emails nobody', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const ask = async (email: string) => {
      const agent = request.agent(gw.http);
      const page = await agent.get('/password/forgot').expect(200);
      const res = await agent.post('/password/forgot').type('form').send({ _csrf: csrfOf(page.text), email }).expect(200);
      return /<main[\s\S]*<\/main>/.exec(res.text)![0].replace(email, 'EMAIL');
    };
    const unknown = `nobody-${Date.now()}@example.test`;
    expect(await ask(unknown)).toBe(await ask(user.email));
    expect(await queryAs(gw.db.ownerUrl, `select 1 from email_outbox where to_address = $1`, [unknown])).toHaveLength(0);
  });

  it('counts wrong current passwords on the password change against the address', async () => {
    const from = nextAddress();
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').set('X-Forwarded-For', from).expect(200);
    await agent.post('/login').set('X-Forwarded-For', from).type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303);
    page = await agent.get('/login/mfa').set('X-Forwarded-For', from).expect(200);
    await agent.post('/login/mfa').set('X-Forwarded-For', from).type('form').send({ _csrf: csrfOf(page.text), code: totpCode(secret) }).expect(303);
    page = await agent.get('/account').set('X-Forwarded-For', from).expect(200);
    const csrf = csrfOf(page.text);
    let refused: request.Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await agent
        .post('/account/password')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ _csrf: csrf, currentPassword: `guess number ${i}`, newPassword: 'a perfectly fine new passphrase' });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(422);
    }
    expect(refused).toBeDefined();
    expect(fieldError(refused!.text, 'currentPassword')).toBe('Too many attempts. Wait a few minutes, then try again.');
    // Even the right current password now waits.
    await agent
      .post('/account/password')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ _csrf: csrf, currentPassword: user.password, newPassword: 'a perfectly fine new passphrase' })
      .expect(429);
  });

  it('refuses a common password when it is changed or reset, as at sign-up', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    // Changed: signed in (a session whose second factor is done), current password right, new one common.
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303);
    page = await agent.get('/login/mfa').expect(200);
    await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: totpCode(secret) }).expect(303);
    page = await agent.get('/account').expect(200);
    const changed = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfOf(page.text), currentPassword: user.password, newPassword: 'Password1234' });
    expect(changed.status).toBe(422);
    expect(fieldError(changed.text, 'newPassword')).toContain('too common');
    const owned = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfOf(changed.text), currentPassword: user.password, newPassword: `${user.email.split('@')[0]} forever` });
    expect(owned.status).toBe(422);
    expect(fieldError(owned.text, 'newPassword')).toContain('name or email');

    // Reset: the link stays usable after the refusal.
    const signedOut = request.agent(gw.http);
    page = await signedOut.get('/password/forgot').expect(200);
    await signedOut.post('/password/forgot').type('form').send({ _csrf: csrfOf(page.text), email: user.email }).expect(200);
    const [mail] = await queryAs<{ text_body: string }>(gw.db.ownerUrl, `select text_body from email_outbox where to_address = $1 and template = 'auth.password_reset'`, [user.email]);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text_body)![1]);
    page = await signedOut.get(`/password/reset?token=${encodeURIComponent(token)}`).expect(200);
    const reset = await signedOut.post('/password/reset').type('form').send({ _csrf: csrfOf(page.text), token, password: 'qwerty123456', confirm: 'qwerty123456' });
    expect(reset.status).toBe(422);
    expect(fieldError(reset.text, 'password')).toContain('too common');
    expect(reset.text).not.toContain('qwerty123456');
    await signedOut.get(`/password/reset?token=${encodeURIComponent(token)}`).expect(200);
  });

  it('answers a stored TOTP secret that no longer opens with a clear refusal, not a 500; a recovery code still signs in', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const [recovery] = newRecoveryCodes();
    // Edited in the database: the ciphertext's last characters changed, so the GCM tag no longer matches.
    const [{ totp_secret: sealed }] = await queryAs<{ totp_secret: string }>(gw.db.ownerUrl, `select totp_secret from users where id = $1`, [user.id]);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    await queryAs(gw.db.ownerUrl, `update users set totp_secret = $2, recovery_code_hashes = $3 where id = $1`, [user.id, tampered, [recoveryCodeHash(recovery)]]);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const agent = request.agent(gw.http);
      let page = await agent.get('/login').expect(200);
      await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/login/mfa');
      page = await agent.get('/login/mfa').expect(200);
      const refused = await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(page.text), code: totpCode(secret) });
      expect(refused.status).toBe(409);
      expect(refused.headers['content-type']).toMatch(/text\/html/);
      expect(fieldError(refused.text, 'code')).toBe(
        'Your authenticator code cannot be checked for this account. Sign in with one of your recovery codes, or contact support to reset two-step sign-in.',
      );
      // Not signed in yet; not charged as a wrong code (six tries would otherwise lock the step).
      await agent.get('/account').expect(303).expect('Location', '/login/mfa');
      for (let i = 0; i < 5; i++) await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(refused.text), code: totpCode(secret) }).expect(409);
      await agent.post('/login/mfa').type('form').send({ _csrf: csrfOf(refused.text), code: recovery }).expect(303);
      await agent.get('/account').expect(200);

      // The JSON login answers the same refusal as problem+json.
      const api = await request(gw.http).post('/v1/auth/login').send({ email: user.email, password: user.password, totpCode: totpCode(secret) });
      expect([api.status, api.body.code]).toEqual([409, 'auth.mfa_unavailable']);

      const events = await queryAs<{ type: string }>(gw.db.ownerUrl, `select type from audit_events where details->>'userId' = $1 and type = 'auth.mfa_secret_unreadable'`, [user.id]);
      expect(events.length).toBeGreaterThanOrEqual(7);
      const lines = warn.mock.calls.filter(([fields]) => (fields as { event?: string })?.event === 'auth.mfa_secret_unreadable');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0][0]).toEqual({ event: 'auth.mfa_secret_unreadable', userId: user.id });
      const logged = JSON.stringify(lines);
      for (const text of [secret, tampered, sealed, recovery]) expect(logged).not.toContain(text);
    } finally {
      warn.mockRestore();
    }
  });

  it('replaces a pending (unconfirmed) TOTP secret that no longer opens when the set-up page is shown again', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const agent = request.agent(gw.http);
    let page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: user.password }).expect(303).expect('Location', '/mfa/setup');
    page = await agent.get('/mfa/setup').expect(200);
    const shown = (html: string) => /id="totp-secret">([^<]+)</.exec(html)![1].replace(/\s/g, '');
    const first = shown(page.text);
    await queryAs(gw.db.ownerUrl, `update users set totp_secret = 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' where id = $1`, [user.id]);
    page = await agent.get('/mfa/setup').expect(200);
    const second = shown(page.text);
    expect(second).not.toBe(first);
    const done = await agent.post('/mfa/setup').type('form').send({ _csrf: csrfOf(page.text), code: totpCode(second) }).expect(200);
    expect(done.text).toContain('recovery-codes');
  });
});
