import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '@gateway/auth/sessions/session-cookie';
import { SessionService } from '@gateway/auth/sessions/session.service';
import type { UserRole } from '@gateway/common/request-context/principal';
import { WEBHOOK_EVENT_TYPES } from '@gateway/common/webhook-events/webhook-events';
import { CredentialsService } from '@gateway/credentials/credentials.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { WebhookEndpointsService } from '@gateway/webhooks/endpoints/webhook-endpoints.service';
import { randomAbn } from '../support/abn';
import { queryAs } from '../support/test-database';
import { WebFormClient } from '../support/web-form-client';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

jest.setTimeout(60_000);

/**
 * Issue 16, the vendor console over HTTP (the browser test drives the same pages in Chromium): the overview, the
 * two-step keystore upload, API keys created / used / revoked, provider invitations (send, open, pre-fill, cancel,
 * resend), the vendor team, and the role walls (a developer reads only; a provider reaches no vendor page).
 */
describe('vendor console pages', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendor = await env.newVendor();
  }, 90_000);
  afterAll(() => env?.close());

  /** Signing in is the web foundation's page (tested there); here the session is issued as after a passed second factor. */
  async function signedIn(roles: UserRole[], organisationId: string | null = null): Promise<{ b: WebFormClient; id: string; email: string }> {
    const user = await env.gw.newUser({ vendorId: vendor.id, roles, organisationId });
    const issued = await env.gw.app
      .get(SessionService)
      .issue({ id: user.id, vendorId: vendor.id, organisationId, email: user.email, roles }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    const b = new WebFormClient(env.gw.http);
    b.setCookie(SESSION_COOKIE, issued.token);
    return { b, id: user.id, email: user.email };
  }

  const outboxLink = async (to: string, template: string): Promise<string> => {
    const [mail] = await owner<{ text_body: string }>(`select text_body from email_outbox where to_address = $1 and template = $2 order by created_at desc limit 1`, [to, template]);
    const link = /(https?:\/\/\S+\?token=\S+)/.exec(mail?.text_body ?? '')?.[1];
    if (!link) throw new Error(`no ${template} email to ${to}`);
    return new URL(link).pathname + new URL(link).search;
  };

  it('shows the overview: credential days to expiry, calls and error rate, providers by status', async () => {
    const { organisation } = await env.newOrganisation(vendor, { status: 'active', notified: true });
    const key = await env.newKey(vendor, ['usi:verify']);
    const verify = await request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${key}`)
      .send({ usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' });
    expect(verify.status).toBe(200);

    const { b } = await signedIn(['vendor_admin']);
    const page = await b.get('/vendor');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<strong id="calls-7">[1-9]\d*<\/strong>/);
    expect(page.text).toMatch(/id="credential-days">\d+</);
    expect(page.text).toContain('status--active');
    expect((page.text.match(/<figure class="chart"><svg/g) ?? []).length).toBe(2);

    const provider = await b.get(`/vendor/providers/${organisation.orgCode}`);
    expect(provider.status).toBe(200);
    expect(provider.text).toContain(String(verify.headers['x-request-id']));
    expect(provider.text).not.toContain('BNGH7C75FN');
    expect((await b.get('/vendor/providers')).text).toContain(`>${organisation.orgCode}</a>`);
  });

  it('uploads a keystore in two steps: the file, then the credential and its password', async () => {
    const { b, email: uploaderEmail } = await signedIn(['vendor_admin']);
    await b.get('/vendor/credential');
    const name = `Up${randomBytes(3).toString('hex')}`;
    const keystore = Buffer.from(env.sim.admin.issueKeystore({ abn: vendor.abn, name, password: 'secret pw' }));

    const noFile = await b.postMultipart('/vendor/credential/upload', {});
    expect(noFile.status).toBe(422);
    expect(noFile.text).toContain('id="field-keystore-error"');

    const step2 = await b.postMultipart('/vendor/credential/upload', {}, { field: 'keystore', name: 'keystore.xml', content: keystore });
    expect(step2.status).toBe(200);
    expect(step2.headers['cache-control']).toBe('no-store');
    expect(step2.text).toContain(`ABRD:${vendor.abn}_${name}`);
    const keystoreData = /name="keystoreData" value="([^"]+)"/.exec(step2.text)![1];

    const wrong = await b.postMultipart('/vendor/credential/upload/confirm', { keystoreData, credentialId: `ABRD:${vendor.abn}_${name}`, password: 'not it' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="field-password-error"');
    expect(wrong.text).not.toContain('not it');

    const done = await b.postMultipart('/vendor/credential/upload/confirm', { keystoreData, credentialId: `ABRD:${vendor.abn}_${name}`, password: 'secret pw' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/vendor/credential?uploaded=active');
    const page = await b.get('/vendor/credential?uploaded=active');
    expect(page.text).toContain(`${name}`);
    expect(page.text).toMatch(/id="active-credential"[\s\S]*SHA-1 fingerprint/);
    expect(page.text).toContain('status--superseded');
    expect(page.text).toContain(`>${uploaderEmail}</td>`);

    // The token service down: the next upload stays pending, said plainly, with "check again" and "delete".
    const other = `Pd${randomBytes(3).toString('hex')}`;
    const second = Buffer.from(env.sim.admin.issueKeystore({ abn: vendor.abn, name: other, password: 'pw' })).toString('base64');
    env.sim.admin.setFaults({ sts: { failure: 'http503' } });
    try {
      const pending = await b.postMultipart('/vendor/credential/upload/confirm', { keystoreData: second, credentialId: `ABRD:${vendor.abn}_${other}`, password: 'pw' });
      expect(pending.headers.location).toBe('/vendor/credential?uploaded=pending');
      const shown = await b.get('/vendor/credential?uploaded=pending');
      expect(shown.text).toMatch(/id="pending-credential">\s*<p><strong>ABRD:\d+_Pd[0-9a-f]+<\/strong> is pending: its check with the ATO failed/);
      expect(shown.text).toContain(`id="active-credential"`);
      const pendingId = /\/vendor\/credential\/([0-9a-f-]{36})\/check/.exec(shown.text)![1];
      expect((await b.post(`/vendor/credential/${pendingId}/check`, {})).headers.location).toBe('/vendor/credential?uploaded=pending');
      env.sim.admin.clearFaults();
      expect((await b.post(`/vendor/credential/${pendingId}/delete`, {})).headers.location).toBe('/vendor/credential?deleted=1');
      expect(await owner(`select 1 from m2m_credentials where id = $1`, [pendingId])).toHaveLength(0);
    } finally {
      env.sim.admin.clearFaults();
    }
  });

  it('creates an API key (shown once), which works until it is revoked after a confirmation', async () => {
    const { b, email } = await signedIn(['vendor_admin']);
    await b.get('/vendor/api-keys');
    const bad = await b.post('/vendor/api-keys', { name: '', scopes: [] });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="field-name-error"');

    const created = await b.post('/vendor/api-keys', { name: 'Console key', scopes: ['usi:verify', 'admin'], expiresAt: '2099-12-31' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toContain('no-store');
    const key = /id="copy-api-key" class="copy-field secret" readonly value="([^"]+)"/.exec(created.text)![1];
    expect(created.text).toContain('shown only once');
    expect(created.text).toContain('<script src="/assets/copy.js" defer></script>');
    expect((await request(env.gw.http).get('/v1/api-keys').set('Authorization', `Bearer ${key}`)).status).toBe(200);

    const list = await b.get('/vendor/api-keys');
    expect(list.text).not.toContain(key);
    expect(list.text).toContain(email);
    const id = new RegExp(`/vendor/api-keys/([0-9a-f-]{36})/revoke">Revoke <span class="visually-hidden">Console key`).exec(list.text)![1];
    expect((await b.get(`/vendor/api-keys/${id}/revoke`)).text).toContain('Revoke the key');
    const revoked = await b.post(`/vendor/api-keys/${id}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await request(env.gw.http).get('/v1/api-keys').set('Authorization', `Bearer ${key}`)).status).toBe(401);
  });

  it('invites a provider: the link opens the invitation and pre-fills the organisation form; cancel and resend', async () => {
    const { b } = await signedIn(['vendor_admin']);
    await b.get('/vendor/providers');
    const to = `prov-${randomBytes(3).toString('hex')}@example.test`;
    expect((await b.post('/vendor/providers/invite', { email: 'nope', orgCode: '' })).status).toBe(422);
    expect((await b.post('/vendor/providers/invite', { email: to, orgCode: 'inv42' })).headers.location).toBe('/vendor/providers?invited=1');
    const link = await outboxLink(to, 'vendor.provider_invitation');
    expect(link).toMatch(/^\/provider\/invitation\?token=/);

    const newcomer = new WebFormClient(env.gw.http);
    const landing = await newcomer.get(link);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain(vendor.name);
    expect(landing.text).toContain('INV42');

    // A signed-in newcomer (no organisation) with the invitation's cookie: vendor and org code pre-filled.
    const account = await env.gw.newUser({ vendorId: null, roles: [] });
    const issued = await env.gw.app.get(SessionService).issue({ id: account.id, vendorId: null, organisationId: null, email: account.email, roles: [] }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    newcomer.setCookie(SESSION_COOKIE, issued.token);
    const form = await newcomer.get('/provider/organisation/new');
    expect(form.text).toMatch(/name="orgCode" type="text" value="INV42"/);
    expect(form.text).toContain(`value="${vendor.id}" selected`);

    // Registering the organisation under the inviting vendor uses the link (single use).
    const registered = await newcomer.post('/provider/organisation/new', { orgCode: 'INV42', abn: randomAbn(), legalName: 'Invited College', kind: 'RTO', vendorId: vendor.id });
    expect(registered.headers.location).toBe('/provider/ram-step');
    expect((await new WebFormClient(env.gw.http).get(link)).status).toBe(400);
    expect((await b.get('/vendor/providers')).text).toMatch(new RegExp(`${to.replace(/[.]/g, '\\.')}</td><td>INV42</td>.*<td>used</td>`));

    // Resent while open: a new link works, the old one does not.
    const again = `prov-${randomBytes(3).toString('hex')}@example.test`;
    await b.post('/vendor/providers/invite', { email: again, orgCode: '' });
    const first = await outboxLink(again, 'vendor.provider_invitation');
    const openId = new RegExp(`${again.replace(/[.]/g, '\\.')}[\\s\\S]*?/vendor/providers/invitations/([0-9a-f-]{36})/resend`).exec((await b.get('/vendor/providers')).text)![1];
    expect((await b.post(`/vendor/providers/invitations/${openId}/resend`, {})).headers.location).toBe('/vendor/providers?resent=1');
    const second = await outboxLink(again, 'vendor.provider_invitation');
    expect(second).not.toBe(first);
    expect((await new WebFormClient(env.gw.http).get(first)).status).toBe(400);
    expect((await new WebFormClient(env.gw.http).get(second)).status).toBe(200);

    // Cancelled: its link no longer works, and it cannot be resent.
    const cancelId = /\/vendor\/providers\/invitations\/([0-9a-f-]{36})\/cancel/.exec((await b.get('/vendor/providers')).text)![1];
    expect((await b.post(`/vendor/providers/invitations/${cancelId}/cancel`, {})).headers.location).toBe('/vendor/providers?cancelled=1');
    expect((await new WebFormClient(env.gw.http).get(second)).status).toBe(400);
    await b.get('/vendor/providers');
    expect((await b.post(`/vendor/providers/invitations/${cancelId}/resend`, {})).status).toBe(404);
  });

  it('invites a vendor developer who joins with their own account; an admin removes them', async () => {
    const { b } = await signedIn(['vendor_admin']);
    await b.get('/vendor/team');
    const to = `dev-${randomBytes(3).toString('hex')}@example.test`;
    expect((await b.post('/vendor/team/invite', { email: to, role: 'vendor_developer' })).status).toBe(303);
    const link = await outboxLink(to, 'vendor.team_invitation');
    const joiner = new WebFormClient(env.gw.http);
    expect((await joiner.get(link)).status).toBe(200);
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    expect((await joiner.post('/vendor/join', { token, name: 'Dev One', password: 'short' })).status).toBe(422);
    expect((await joiner.post('/vendor/join', { token, name: 'Dev One', password: 'a long unusual passphrase 9' })).status).toBe(200);
    const [joined] = await owner<{ id: string; roles: string[]; vendor_id: string }>(`select id, roles, vendor_id from users where email = $1`, [to]);
    expect(joined).toMatchObject({ roles: ['vendor_developer'], vendor_id: vendor.id });

    const team = await b.get('/vendor/team');
    expect(team.text).toContain(to);
    expect((await b.post(`/vendor/team/members/${joined.id}/remove`, {})).status).toBe(303);
    expect(await owner(`select 1 from users where id = $1`, [joined.id])).toHaveLength(0);
  });

  it('a vendor developer reads everything and changes nothing (by URL and by POST)', async () => {
    const { b } = await signedIn(['vendor_developer']);
    for (const path of ['/vendor', '/vendor/credential', '/vendor/api-keys', '/vendor/providers', '/vendor/team', '/vendor/webhooks', '/vendor/jobs']) {
      const page = await b.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expect(page.text).toContain('read-only access');
    }
    expect((await b.get('/vendor/api-keys')).text).not.toContain('action="/vendor/api-keys"');
    expect((await b.get('/vendor/credential')).text).not.toContain('action="/vendor/credential/upload"');
    const keystore = Buffer.from(env.sim.admin.issueKeystore({ abn: vendor.abn, name: `Dv${randomBytes(3).toString('hex')}`, password: 'pw' }));
    const refusals = [
      await b.post('/vendor/api-keys', { name: 'Mine', scopes: ['usi:verify'] }),
      await b.postMultipart('/vendor/credential/upload', {}, { field: 'keystore', name: 'keystore.xml', content: keystore }),
      await b.postMultipart('/vendor/credential/upload/confirm', { keystoreData: keystore.toString('base64'), credentialId: 'x', password: 'pw' }),
      await b.get('/vendor/api-keys/00000000-0000-4000-8000-000000000000/revoke'),
      await b.post('/vendor/providers/invite', { email: 'x@example.test', orgCode: '' }),
      await b.post('/vendor/team/invite', { email: 'x@example.test', role: 'vendor_admin' }),
      await b.get('/vendor/credential/00000000-0000-4000-8000-000000000000/revoke'),
      await b.post('/vendor/credential/00000000-0000-4000-8000-000000000000/revoke', { confirm: 'yes' }),
      await b.get('/vendor/credential/00000000-0000-4000-8000-000000000000/activate'),
      await b.post('/vendor/credential/00000000-0000-4000-8000-000000000000/activate', { confirm: 'yes' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403, 403]);
    expect((await b.get('/vendor/credential')).text).not.toMatch(/href="\/vendor\/credential\/[^"]+\/(revoke|activate)"/);
    expect(await owner(`select 1 from api_keys where vendor_id = $1 and name = 'Mine'`, [vendor.id])).toHaveLength(0);
  });

  it('revokes a credential (switching to the previous one, or confirmed without one) and rolls back, through the API service', async () => {
    // A vendor of its own: three credentials uploaded in turn, the last one active.
    const own = await env.gw.newVendor({ abn: randomAbn() });
    const upload = async (name: string) => {
      const keystore = Buffer.from(env.sim.admin.issueKeystore({ abn: own.abn, name, password: 'pw' }));
      const stored = await env.gw.app.get(CredentialsService).upload(asVendorId(own.id), 'test', { keystore, credentialId: `ABRD:${own.abn}_${name}`, password: 'pw' });
      expect(stored.status).toBe('active');
      return stored;
    };
    const first = await upload(`Rb${randomBytes(3).toString('hex')}`);
    const second = await upload(`Rc${randomBytes(3).toString('hex')}`);
    const statusOf = async (id: string) => (await owner<{ status: string }>(`select status from m2m_credentials where id = $1`, [id]))[0].status;

    const user = await env.gw.newUser({ vendorId: own.id, roles: ['vendor_admin'] });
    const issued = await env.gw.app
      .get(SessionService)
      .issue({ id: user.id, vendorId: own.id, organisationId: null, email: user.email, roles: ['vendor_admin'] }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    const b = new WebFormClient(env.gw.http);
    b.setCookie(SESSION_COOKIE, issued.token);
    const page = await b.get('/vendor/credential');
    expect(page.text).toContain(`href="/vendor/credential/${second.id}/revoke"`);
    expect(page.text).toContain(`href="/vendor/credential/${first.id}/activate"`);

    // Revoking the active one: the service names the superseded one that can take over; switching checks it first.
    const confirm = await b.get(`/vendor/credential/${second.id}/revoke`);
    expect(confirm.text).toContain('is the active credential');
    const asked = await b.post(`/vendor/credential/${second.id}/revoke`, {});
    expect(asked.status).toBe(409);
    expect(asked.text).toContain(`name="activate" value="${first.id}"`);
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(await statusOf(second.id)).toBe('active');
    const switched = await b.post(`/vendor/credential/${second.id}/revoke`, { activate: first.id });
    expect(switched.headers.location).toBe('/vendor/credential?done=switched');
    expect([await statusOf(first.id), await statusOf(second.id)]).toEqual(['active', 'revoked']);

    // Rolling back: a third upload supersedes the first, which is made active again after a confirmation.
    const third = await upload(`Rd${randomBytes(3).toString('hex')}`);
    expect(await statusOf(first.id)).toBe('superseded');
    expect((await b.get(`/vendor/credential/${first.id}/activate`)).text).toContain(`replaces the active credential ${third.credentialId}`);
    const unconfirmed = await b.post(`/vendor/credential/${first.id}/activate`, {});
    expect(unconfirmed.status).toBe(200);
    expect(await statusOf(first.id)).toBe('superseded');
    const rolledBack = await b.post(`/vendor/credential/${first.id}/activate`, { confirm: 'yes' });
    expect(rolledBack.headers.location).toBe('/vendor/credential?done=reactivated');
    expect([await statusOf(first.id), await statusOf(third.id)]).toEqual(['active', 'superseded']);

    // A refusal of the service is shown on the page, not as an error: a revoked credential cannot serve again.
    const refused = await b.post(`/vendor/credential/${second.id}/activate`, { confirm: 'yes' });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="credential-refusal"[^]*Only a superseded credential can be made active again/);

    // Revoking without a replacement needs the explicit choice; then no credential is active.
    await b.post(`/vendor/credential/${third.id}/revoke`, { confirm: 'yes' });
    expect(await statusOf(third.id)).toBe('revoked');
    const last = await b.post(`/vendor/credential/${first.id}/revoke`, {});
    expect(last.status).toBe(409);
    expect(last.text).toContain('is the last valid credential');
    expect(await statusOf(first.id)).toBe('active');
    expect((await b.post(`/vendor/credential/${first.id}/revoke`, { confirm: 'yes' })).headers.location).toBe('/vendor/credential?done=revoked');
    expect(await statusOf(first.id)).toBe('revoked');

    // Another vendor's credential does not exist here.
    expect((await b.get(`/vendor/credential/${vendor.id}/revoke`)).status).toBe(404);
  });

  it('lists the webhook endpoints registered through the API', async () => {
    const { b } = await signedIn(['vendor_admin']);
    expect((await b.get('/vendor/webhooks')).text).toContain('id="no-webhooks"');
    const principal = { kind: 'user' as const, vendorId: asVendorId(vendor.id), scopes: [], roles: ['vendor_admin' as const], actorId: 'test' };
    await env.gw.app.get(WebhookEndpointsService).create(asVendorId(vendor.id), principal, { url: 'https://hooks.example.com/usi', eventTypes: [WEBHOOK_EVENT_TYPES[0]] });
    const page = await b.get('/vendor/webhooks');
    expect(page.text).toContain('<code>https://hooks.example.com/usi</code>');
    expect(page.text).toContain(WEBHOOK_EVENT_TYPES[0]);
  });

  it('lists the jobs started through the API (both kinds, counts and state, no personal data) to admins and developers', async () => {
    const { organisation } = await env.newOrganisation(vendor, { status: 'active', notified: true });
    const key = await env.newKey(vendor, ['usi:verify', 'usi:write']);
    const start = (kind: string, body: unknown) =>
      request(env.gw.http)
        .post(`/v1/organisations/${organisation.orgCode}/${kind}`)
        .set('Authorization', `Bearer ${key}`)
        .set('Idempotency-Key', `console-${kind}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(202);
    // Rows that cannot be sent: the jobs are stored (and end at once) without a call to the registry.
    const verification = (await start('verification-jobs', [{ recordId: 'v1', usi: 'BNGH7C75FM', firstName: 'Zebulon', familyName: 'Quixote', dateOfBirth: '1966-05-25' }])).body.job;
    const creation = (await start('creation-jobs', [{ recordId: 'c1' }, { recordId: 'c2' }])).body.job;
    const other = await env.newVendor();
    const otherOrg = await env.newOrganisation(other, { status: 'active', notified: true });
    const foreign = (
      await request(env.gw.http)
        .post(`/v1/organisations/${otherOrg.organisation.orgCode}/verification-jobs`)
        .set('Authorization', `Bearer ${await env.newKey(other, ['usi:verify'])}`)
        .set('Idempotency-Key', 'console-foreign')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify([{ recordId: 'f1' }]))
        .expect(202)
    ).body.job;

    for (const roles of [['vendor_admin'], ['vendor_developer']] as UserRole[][]) {
      const { b } = await signedIn(roles);
      const page = await b.get('/vendor/jobs');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<caption class="visually-hidden">Recent bulk jobs, newest first</caption>');
      expect(page.text).toContain('<a href="/vendor/jobs" aria-current="page">Jobs</a>');
      const row = (id: string) => new RegExp(`<tr id="job-${id}">(.*?)</tr>`).exec(page.text)?.[1] ?? '';
      expect(row(verification.id)).toContain(`<td>${organisation.orgCode}</td><td>verification</td><td>completed</td><td>1</td><td>0</td><td>1</td>`);
      expect(row(creation.id)).toContain(`<td>${organisation.orgCode}</td><td>creation</td><td>completed</td><td>2</td><td>0</td><td>2</td>`);
      expect(page.text.indexOf(creation.id)).toBeLessThan(page.text.indexOf(verification.id));
      expect(page.text).not.toContain(foreign.id);
      expect(page.text).not.toContain('Zebulon');
    }
  });

  it('a provider user reaches no vendor page', async () => {
    const organisation = await env.gw.newOrganisation(vendor.id);
    const { b } = await signedIn(['provider_admin'], organisation.id);
    for (const path of ['/vendor', '/vendor/credential', '/vendor/api-keys', '/vendor/providers', '/vendor/team', '/vendor/webhooks', '/vendor/jobs']) {
      expect({ path, status: (await b.get(path)).status }).toEqual({ path, status: 403 });
    }
  });

  // Last: it leaves the vendor with a credential close to expiry.
  it('lists what needs attention: a credential within 60 days of expiry (with its banner), a provider stuck at the RAM step, a failing test', async () => {
    const stuck = await env.newOrganisation(vendor, { status: 'pending' });
    await owner(`update authorisations set created_at = now() - interval '5 days' where id = $1`, [stuck.authorisation.id]);
    const failing = await env.newOrganisation(vendor, { status: 'pending' });
    await owner(
      `insert into connection_test_attempts (vendor_id, authorisation_id, software_id, tested_at, ok, code, environment)
       values ($1, $2, $3, now(), false, 'no_notification', 'sim')`,
      [vendor.id, failing.authorisation.id, failing.authorisation.softwareId],
    );
    const { b } = await signedIn(['vendor_admin']);
    const before = await b.get('/vendor');
    expect(before.text).not.toContain('expires in');
    expect((await b.get('/vendor/credential')).text).not.toContain('id="expiry-banner"');

    const name = `Ex${randomBytes(3).toString('hex')}`;
    const keystore = env.sim.admin.issueKeystore({ abn: vendor.abn, name, password: 'pw', notAfter: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    await b.get('/vendor/credential');
    const step2 = await b.postMultipart('/vendor/credential/upload', {}, { field: 'keystore', name: 'keystore.xml', content: Buffer.from(keystore) });
    const keystoreData = /name="keystoreData" value="([^"]+)"/.exec(step2.text)![1];
    expect((await b.postMultipart('/vendor/credential/upload/confirm', { keystoreData, credentialId: `ABRD:${vendor.abn}_${name}`, password: 'pw' })).status).toBe(303);

    expect((await b.get('/vendor/credential')).text).toMatch(/id="expiry-banner">The machine credential expires in <strong>(29|30) days/);
    const attention = /<ul id="attention">([\s\S]*?)<\/ul>/.exec((await b.get('/vendor')).text)![1];
    expect(attention).toMatch(/ABRD:\d+_Ex[0-9a-f]+ expires in (29|30) days/);
    expect(attention).toContain(`${stuck.organisation.orgCode} (${stuck.organisation.legalName}) has been at the RAM step`);
    expect(attention).toContain(`${failing.organisation.orgCode} (${failing.organisation.legalName}): the last connection test failed (no_notification)`);
  });
});
