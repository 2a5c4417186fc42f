import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '@gateway/auth/sessions/session-cookie';
import { SessionService } from '@gateway/auth/sessions/session.service';
import type { UserRole } from '@gateway/common/request-context/principal';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { randomAbn } from '../support/abn';
import { createGatewayApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';
import { WebFormClient } from '../support/web-form-client';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

/**
 * Issue 15, the provider's pages over HTTP (the browser test drives the same pages in Chromium): signup with bad
 * and good input, email verification, the organisation form, the RAM step failing then passing through the
 * simulated RAM, the organisation page with the vendor's call in its activity, and edited URLs.
 */
describe('provider pages', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  const password = 'correct horse battery 7';
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendor = await env.newVendor();
  }, 90_000);
  afterAll(() => env?.close());

  /** Signing in is the web foundation's page; here the session is issued as after a passed second factor. */
  async function signIn(b: WebFormClient, email: string): Promise<void> {
    const [u] = await owner<{ id: string; vendor_id: string | null; organisation_id: string | null; roles: UserRole[] }>(
      `select id, vendor_id, organisation_id, roles from users where email = $1`,
      [email],
    );
    const issued = await env.gw.app
      .get(SessionService)
      .issue({ id: u.id, vendorId: u.vendor_id, organisationId: u.organisation_id, email, roles: u.roles }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    b.setCookie(SESSION_COOKIE, issued.token);
  }

  async function signUp(b: WebFormClient, email: string): Promise<void> {
    await b.get('/signup');
    const sent = await b.post('/signup', { name: 'Pat Provider', email, password, acceptTerms: 'on' });
    expect(sent.status).toBe(200);
    const [mail] = await owner<{ text_body: string }>(`select text_body from email_outbox where to_address = $1`, [email]);
    const link = /\/signup\/verify\?token=[A-Za-z0-9_-]{43}/.exec(mail.text_body)![0];
    await b.get(link);
    expect((await b.post('/signup/verify', { token: link.split('=')[1] })).text).toContain('Email address confirmed');
  }

  it('refuses a form without its CSRF token, and shows bad input next to the field keeping what was typed', async () => {
    const b = new WebFormClient(env.gw.http);
    await b.get('/signup');
    const email = `bad-${randomBytes(3).toString('hex')}@example.test`;
    expect((await b.post('/signup', { name: 'Pat', email, password, acceptTerms: 'on' }, false)).status).toBe(403);
    const res = await b.post('/signup', { name: 'Pat Typed', email, password: 'password1234' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="field-password-error"[^>]*>.*too common/s);
    expect(res.text).toContain('aria-describedby="field-password-hint field-password-error"');
    expect(res.text).toContain('value="Pat Typed"');
    expect(res.text).not.toContain('password1234');
    expect(res.text).toContain('id="field-acceptTerms"');
    expect(await owner(`select 1 from users where email = $1`, [email])).toHaveLength(0);
  });

  it('takes a new provider from signup to an active link, and shows the vendor’s call in its activity', async () => {
    const b = new WebFormClient(env.gw.http);
    const email = `pat-${randomBytes(3).toString('hex')}@example.test`;
    await signUp(b, email);
    await signIn(b, email);

    const start = await b.get('/provider');
    expect([start.status, start.headers.location]).toEqual([303, '/provider/organisation/new']);
    await b.get('/provider/organisation/new');
    const orgCode = `W${randomBytes(3).toString('hex').toUpperCase()}`;
    const bad = await b.post('/provider/organisation/new', { orgCode: 'BAD-CODE-TOO-LONG', abn: '12345678901', legalName: 'Web College', kind: 'RTO', vendorId: vendor.id });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="field-abn-error"');
    expect(bad.text).toContain('id="field-orgCode-error"');
    expect(bad.text).toContain('value="Web College"');
    expect(await owner(`select 1 from organisations where legal_name = 'Web College'`)).toHaveLength(0);

    const abn = randomAbn();
    const created = await b.post('/provider/organisation/new', { orgCode, abn, legalName: 'Web College', kind: 'RTO', vendorId: vendor.id });
    expect([created.status, created.headers.location]).toEqual([303, '/provider/ram-step']);

    const step = await b.get('/provider/ram-step');
    const [{ software_id: softwareId }] = await owner<{ software_id: string }>(
      `select a.software_id from authorisations a join organisations o on o.id = a.organisation_id where o.org_code = $1`,
      [orgCode],
    );
    expect(step.text).toContain(`value="${softwareId}"`);
    expect(step.text).toContain(`value="${vendor.abn}"`);
    expect(step.text).toContain('Add this notification in the simulated RAM');
    expect(step.text).toContain('data-copy="copy-software-id"');
    // The exact steps: who may add it, where, what to enter, and that the start date cannot be in the past.
    for (const words of ['principal authority or an authorisation administrator', 'Relationship Authorisation Manager', `software ID ${softwareId} exactly`, 'RAM does not accept a date in the past']) {
      expect(step.text).toContain(words);
    }
    const script = await request(env.gw.http).get('/assets/copy.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);

    await b.post('/provider/ram-step/test', {});
    expect((await b.get('/provider/ram-step')).text).toContain('No notification found in RAM');
    expect((await b.post('/provider/ram-step/simulate', {})).headers.location).toBe('/provider/ram-step?added=1');
    await b.get('/provider/ram-step?added=1');
    const passed = await b.post('/provider/ram-step/test', {});
    expect(passed.headers.location).toBe('/provider/organisation?linked=1');

    const verify = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${await env.newKey(vendor, ['usi:verify'])}`)
      .send({ usi: 'BNGH7C75FN', firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' });
    const page = await b.get('/provider/organisation?linked=1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('status--active');
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('VerifyUSI');
    expect(page.text).toContain(String(verify.headers['x-request-id']));
    expect(page.text).not.toContain('BNGH7C75FN');

    // Revoking needs the confirmation box: the message is tied to it and summarised at the top.
    const unconfirmed = await b.post('/provider/organisation/revoke', {});
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toMatch(/id="confirm-revoke-error"[^>]*>.*Tick the box/s);
    expect(unconfirmed.text).toMatch(/id="confirm-revoke"[^>]*aria-describedby="confirm-revoke-error"[^>]*aria-invalid="true"/);
    expect(unconfirmed.text).toContain('href="#confirm-revoke"');
    expect(unconfirmed.text).not.toContain('id="confirm-regenerate-error"');
    const notRegenerated = await b.post('/provider/organisation/regenerate', {});
    expect(notRegenerated.text).toMatch(/id="confirm-regenerate"[^>]*aria-describedby="confirm-regenerate-error"/);

    // Confirmed, each is done and audited with the provider admin as the actor.
    const regenerated = await b.post('/provider/organisation/regenerate', { confirm: 'yes' });
    expect(regenerated.headers.location).toBe('/provider/ram-step');
    const [{ software_id: newSoftwareId }] = await owner<{ software_id: string }>(
      `select a.software_id from authorisations a join organisations o on o.id = a.organisation_id where o.org_code = $1`,
      [orgCode],
    );
    expect(newSoftwareId).not.toBe(softwareId);
    await b.get('/provider/organisation');
    expect((await b.post('/provider/organisation/revoke', { confirm: 'yes' })).headers.location).toBe('/provider/organisation?revoked=1');
    const audited = await owner<{ type: string; actor: string; details: Record<string, unknown> }>(
      `select e.type, e.actor, e.details from audit_events e join organisations o on o.id = e.organisation_id
        where o.org_code = $1 and e.type in ('authorisation.regenerate', 'authorisation.revoke') order by e.chain_seq`,
      [orgCode],
    );
    expect(audited.map((e) => [e.type, e.details.to])).toEqual([['authorisation.regenerate', 'pending'], ['authorisation.revoke', 'revoked']]);
    for (const e of audited) expect(e.actor).toMatch(/^user:/);
  });

  it("carries a vendor's invitation link through sign-up, the emailed link and sign-in, to the form with the vendor and org code filled in", async () => {
    const invitation = `/provider/organisation/new?vendor=${vendor.id}&orgCode=ab12`;
    const b = new WebFormClient(env.gw.http);
    const first = await b.get(invitation);
    expect([first.status, first.headers.location]).toEqual([303, `/login?next=${encodeURIComponent(invitation)}`]);
    const login = await b.get(first.headers.location);
    const signupHref = /href="(\/signup\?next=[^"]+)"/.exec(login.text)![1].replace(/&amp;/g, '&');
    expect(decodeURIComponent(signupHref.split('next=')[1])).toBe(invitation);

    const email = `inv-${randomBytes(3).toString('hex')}@example.test`;
    const form = await b.get(signupHref);
    expect(form.text).toContain(`name="next" value="${invitation.replace(/&/g, '&amp;')}"`);
    await b.post('/signup', { name: 'Pat Invited', email, password, acceptTerms: 'on', next: invitation });
    const [mail] = await owner<{ text_body: string }>(`select text_body from email_outbox where to_address = $1`, [email]);
    const link = /\/signup\/verify\?token=[A-Za-z0-9_-]{43}&next=\S+/.exec(mail.text_body)![0];
    const verify = await b.get(link);
    const token = /name="token" value="([^"]+)"/.exec(verify.text)![1];
    const next = /name="next" value="([^"]*)"/.exec(verify.text)![1].replace(/&amp;/g, '&');
    expect(next).toBe(invitation);
    const verified = await b.post('/signup/verify', { token, next });
    expect(verified.text).toContain(`href="/login?next=${encodeURIComponent(invitation)}"`);

    await signIn(b, email);
    const prefilled = await b.get(invitation);
    expect(prefilled.status).toBe(200);
    expect(prefilled.text).toContain(`You came from an invitation by <strong>${vendor.name}</strong>`);
    expect(prefilled.text).toContain(`<option value="${vendor.id}" selected>`);
    expect(prefilled.text).toContain('value="AB12"');
  });

  it('never carries an outside address as the page after sign-up', async () => {
    const b = new WebFormClient(env.gw.http);
    const form = await b.get('/signup?next=https%3A%2F%2Fevil.example%2F');
    expect(form.text).toContain('name="next" value=""');
    const email = `evil-${randomBytes(3).toString('hex')}@example.test`;
    await b.post('/signup', { name: 'Pat', email, password, acceptTerms: 'on', next: '//evil.example/' });
    const [mail] = await owner<{ text_body: string }>(`select text_body from email_outbox where to_address = $1`, [email]);
    expect(mail.text_body).not.toContain('evil.example');
  });

  it('keeps a provider to its own organisation when URLs are edited, and sends the signed-out to sign in', async () => {
    const other = (await env.newOrganisation(vendor)).organisation;
    const stranger = await env.gw.newUser({ vendorId: vendor.id, roles: ['provider_viewer'], organisationId: other.id });
    const b = new WebFormClient(env.gw.http);
    const email = `url-${randomBytes(3).toString('hex')}@example.test`;
    await signUp(b, email);
    await signIn(b, email);
    await b.get('/provider/organisation/new');
    await b.post('/provider/organisation/new', { orgCode: `U${randomBytes(3).toString('hex').toUpperCase()}`, abn: randomAbn(), legalName: 'Url College', kind: 'RTO', vendorId: vendor.id });
    await b.get('/provider/team');
    const removed = await b.post(`/provider/team/members/${stranger.id}/remove`, {});
    expect(removed.status).toBe(404);
    expect(await owner(`select 1 from users where id = $1`, [stranger.id])).toHaveLength(1);
    expect((await request(env.gw.http).get(`/v1/organisations/${other.orgCode}`).set('Cookie', `${SESSION_COOKIE}=x`)).status).toBe(401);

    const signedOut = await new WebFormClient(env.gw.http).get('/provider/organisation');
    expect([signedOut.status, signedOut.headers.location]).toEqual([303, '/login?next=%2Fprovider%2Forganisation']);
  });

  it.each(['3pt', 'production'])('never offers the simulated RAM when the upstream is %s', async (usiEnv) => {
    const gw = await createGatewayApp({ env: { USI_ENV: usiEnv } });
    try {
      const v = await gw.newVendor();
      const b = new WebFormClient(gw.http);
      const email = `tpt-${randomBytes(3).toString('hex')}@example.test`;
      await b.get('/signup');
      await b.post('/signup', { name: 'Pat', email, password, acceptTerms: 'on' });
      await queryAs(gw.db.ownerUrl, `update users set email_verified_at = now() where email = $1`, [email]);
      const [u] = await queryAs<{ id: string }>(gw.db.ownerUrl, `select id from users where email = $1`, [email]);
      const issued = await gw.app.get(SessionService).issue({ id: u.id, vendorId: null, organisationId: null, email, roles: [] }, { clientAddress: '127.0.0.1', mfa: 'totp' });
      b.setCookie(SESSION_COOKIE, issued.token);
      await b.get('/provider/organisation/new');
      await b.post('/provider/organisation/new', { orgCode: `T${randomBytes(3).toString('hex').toUpperCase()}`, abn: randomAbn(), legalName: 'Tpt College', kind: 'RTO', vendorId: v.id });
      const step = await b.get('/provider/ram-step');
      expect(step.status).toBe(200);
      expect(step.text).toContain('I have added it');
      expect(step.text).not.toContain('simulated RAM');
      expect((await b.post('/provider/ram-step/simulate', {})).status).toBe(404);
    } finally {
      await gw.close();
    }
  });
});
