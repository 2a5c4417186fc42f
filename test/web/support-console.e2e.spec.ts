import request from 'supertest';
import type { User } from '@gateway/auth/users/user.types';
import type { UserRole } from '@gateway/common/request-context/principal';
import type { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import type { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { queryAs } from '../support/test-database';
import { WebClient } from '../support/web-client';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

jest.setTimeout(60_000);

const USI = 'BNGH7C75FN';

/** The page without its hidden form fields. */
const visible = (html: string) => html.replace(/<input type="hidden"[^>]*>/g, '');

/**
 * Issue 16, the support console over HTTP (the browser test drives the same pages in Chromium): `support` sees its
 * own vendor only and changes nothing; `platform_support` sees every vendor and each of its reads lands in the
 * vendor's own audit chain; raw SOAP is for `platform_admin` only; a provider user reaches no support page.
 */
describe('support console pages', () => {
  let env: UsiTestEnv;
  let vendorA: Vendor;
  let vendorB: Vendor;
  let orgA: Organisation;
  let orgB: Organisation;
  let callA: string;
  let callB: string;
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);

  async function verifyCall(vendor: Vendor, organisation: Organisation): Promise<request.Response> {
    const key = await env.newKey(vendor, ['usi:verify']);
    return request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${key}`)
      .send({ usi: USI, firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' });
  }

  async function user(vendorId: string | null, roles: UserRole[], organisationId: string | null = null): Promise<User> {
    return env.gw.newUser({ vendorId, roles, organisationId });
  }

  async function as(u: User): Promise<WebClient> {
    return new WebClient(env.gw).signInAs(u);
  }

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendorA = await env.newVendor();
    vendorB = await env.newVendor();
    orgA = (await env.newOrganisation(vendorA)).organisation;
    orgB = (await env.newOrganisation(vendorB)).organisation;
    const a = await verifyCall(vendorA, orgA);
    const b = await verifyCall(vendorB, orgB);
    expect([a.status, b.status]).toEqual([200, 200]);
    callA = String(a.headers['x-request-id']);
    callB = String(b.headers['x-request-id']);
  }, 90_000);
  afterAll(() => env?.close());

  it('support: searches its vendor by request id, reads the story with its STS and USI exchanges, and sees nothing of another vendor', async () => {
    const support = await as(await user(vendorA.id, ['support']));
    const found = await support.get(`/support/audit?requestId=${encodeURIComponent(callA)}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain(`href="/support/requests/${callA}"`);
    // The vendor filter is for staff only: support has no vendor list.
    expect(found.text).not.toContain('id="field-vendor"');

    const story = await support.get(`/support/requests/${encodeURIComponent(callA)}`);
    expect(story.status).toBe(200);
    expect(story.text).toContain('STS (token)');
    expect(story.text).toContain('USI Registry');
    expect(story.text).toContain('VerifyUSI');
    expect(story.text).toContain(`/support/providers?q=${orgA.orgCode}`);
    expect(story.text).not.toContain(USI);
    // Raw SOAP is not offered (and not reachable) below platform_admin.
    expect(story.text).not.toContain('/raw/');

    const other = await support.get(`/support/audit?requestId=${encodeURIComponent(callB)}`);
    expect(other.status).toBe(200);
    expect(other.text).toContain('No events match');
    expect((await support.get(`/support/requests/${encodeURIComponent(callB)}`)).status).toBe(404);
    expect((await support.get(`/support/audit?organisation=${orgB.orgCode}`)).status).toBe(422);
    expect((await support.get(`/support/providers?q=${orgB.orgCode}`)).text).toContain('No provider matches');
    // The lookup: the provider, its vendor, its authorisation and its last connection tests in plain words.
    const [auth] = await owner<{ id: string; software_id: string }>(`select id, software_id from authorisations where organisation_id = $1`, [orgA.id]);
    await owner(
      `insert into connection_test_attempts (vendor_id, authorisation_id, software_id, tested_at, ok, code, environment)
       values ($1, $2, $3, '2026-11-01T10:00:00Z', false, 'upstream.unavailable', 'sim'), ($1, $2, $3, '2026-11-02T10:00:00Z', true, null, 'sim')`,
      [vendorA.id, auth.id, auth.software_id],
    );
    const lookup = (await support.get(`/support/providers?q=${orgA.abn}`)).text;
    expect(lookup).toContain(orgA.legalName);
    expect(lookup).toContain(vendorA.name);
    expect(lookup).toMatch(/status--active">active</);
    expect(lookup.indexOf('2026-11-02 10:00:00')).toBeLessThan(lookup.indexOf('2026-11-01 10:00:00'));
    expect(lookup).toContain('(upstream.unavailable)');
    expect((await support.get(`/support/providers?q=${encodeURIComponent(orgA.legalName.slice(2, 8))}`)).text).toContain(orgA.orgCode);

    const chains = await support.get('/support/chains?run=1');
    expect(chains.status).toBe(200);
    expect(chains.text).toContain('chains are intact');
    expect(chains.text).toContain(orgA.orgCode);
    expect(chains.text).not.toContain(orgB.orgCode);
  });

  it('support: a USI is searched by POST, matched by its fingerprint and never echoed; the CSV export holds the rows', async () => {
    const support = await as(await user(vendorA.id, ['support']));
    await support.get('/support/audit');
    const byUsi = await support.post('/support/audit', { usi: USI });
    expect(byUsi.status).toBe(200);
    expect(byUsi.text).toContain(callA);
    expect(byUsi.text).not.toContain(callB);
    // Only the next-page and export forms carry it back, in hidden fields of their bodies: never shown, never in a URL.
    expect(visible(byUsi.text)).not.toContain(USI);
    expect(byUsi.text).not.toMatch(new RegExp(`(href|action)="[^"]*${USI}`));
    expect(byUsi.text).toContain(`the USI <span class="secret">${USI.slice(0, 2)}******${USI.slice(-2)}</span>`);
    // Without the form token: refused.
    expect((await support.post('/support/audit', { usi: USI }, false)).status).toBe(403);
    // A malformed USI: the message at its field, nothing searched.
    const bad = await support.post('/support/audit', { usi: 'short' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="field-usi-error"');

    const csv = await support.get(`/support/audit/export.csv?requestId=${encodeURIComponent(callA)}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,occurredAt,/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => l.includes(callA))).toBe(true);
    const usiCsv = await support.post('/support/audit/export.csv', { usi: USI });
    expect(usiCsv.text).toContain(callA);
    expect(usiCsv.text).not.toContain(callB);
  });

  it('support changes nothing: no raw SOAP, no provider or vendor action', async () => {
    const support = await as(await user(vendorA.id, ['support']));
    const [exchange] = await owner<{ id: string }>(`select id from audit_events where request_id = $1 and category = 'exchange' limit 1`, [callA]);
    expect((await support.get(`/support/requests/${callA}/raw/${exchange.id}`)).status).toBe(403);
    await support.get('/support/audit');
    expect((await support.post('/provider/organisation/revoke', { confirm: 'yes' })).status).toBe(403);
    expect((await support.post('/provider/team/invite', { email: 'x@example.test', role: 'provider_viewer' })).status).toBe(403);
  });

  it('platform_support sees every vendor, and each read of a vendor is in that vendor’s audit', async () => {
    const staffUser = await user(null, ['platform_support']);
    const staff = await as(staffUser);
    const readsOf = async (vendorId: string) =>
      (
        await owner<{ action: string }>(
          `select details->>'action' as action from audit_events where vendor_id = $1 and type = 'audit.read_by_platform' and actor = $2`,
          [vendorId, `user:${staffUser.id}`],
        )
      ).map((r) => r.action);

    const found = await staff.get(`/support/audit?requestId=${encodeURIComponent(callB)}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain(callB);
    expect(found.text).toContain('id="field-vendor"');
    expect(await readsOf(vendorB.id)).toEqual(['audit.searched']);
    expect(await readsOf(vendorA.id)).toEqual([]);

    expect((await staff.get(`/support/requests/${encodeURIComponent(callB)}`)).status).toBe(200);
    expect(await readsOf(vendorB.id)).toContain('audit.request_read');

    const lookup = await staff.get(`/support/providers?q=${orgB.orgCode}`);
    expect(lookup.text).toContain(orgB.legalName);
    expect(await readsOf(vendorB.id)).toContain('support.provider_lookup');

    const charts = await staff.get('/support/charts');
    expect(charts.status).toBe(200);
    expect(charts.text).toContain('<svg');
    expect(charts.text).toMatch(/VerifyUSI/);
    expect(await readsOf(vendorA.id)).toContain('audit.charted');

    const chains = await staff.get('/support/chains?run=1');
    expect(chains.text).toContain(orgA.orgCode);
    expect(chains.text).toContain(orgB.orgCode);
    expect(chains.text).toContain('platform');
  });

  it('pages with the cursor, newest first, and filters by time range', async () => {
    const { organisation } = await env.newOrganisation(vendorA);
    const ids: string[] = [];
    for (let i = 0; i < 18; i++) ids.push(String((await verifyCall(vendorA, organisation)).headers['x-request-id']));
    const support = await as(await user(vendorA.id, ['support']));
    const rowsOf = (html: string) => [...html.matchAll(/<tr>\s*<td>([^<]+)<\/td>[\s\S]*?href="\/support\/requests\/([^"]+)"/g)].map((m) => ({ at: m[1], rid: m[2] }));
    const first = await support.get(`/support/audit?organisation=${organisation.orgCode}`);
    const page1 = rowsOf(first.text);
    expect(page1).toHaveLength(50);
    expect(page1[0].rid).toBe(ids[17]);
    expect([...page1].map((r) => r.at)).toEqual([...page1].map((r) => r.at).sort().reverse());
    const next = /href="(\/support\/audit\?organisation=[^"]+&amp;cursor=[^"]+)"/.exec(first.text);
    expect(next).not.toBeNull();
    const page2 = rowsOf((await support.get(next![1].replace(/&amp;/g, '&'))).text);
    expect(page2.length).toBeGreaterThan(0);
    expect(page2[page2.length - 1].rid).toBe(ids[0]);
    expect(page2[0].at <= page1[page1.length - 1].at).toBe(true);

    const future = await support.get(`/support/audit?organisation=${organisation.orgCode}&from=2999-01-01T00:00`);
    expect(future.text).toContain('No events match');
    const past = await support.get(`/support/audit?organisation=${organisation.orgCode}&to=2000-01-01T00:00`);
    expect(past.text).toContain('No events match');
    const bad = await support.get(`/support/audit?from=yesterday`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="field-from-error"');
  });

  it('a provider user reaches no support page', async () => {
    const provider = await as(await user(vendorA.id, ['provider_admin'], orgA.id));
    for (const path of ['/support', '/support/audit', `/support/requests/${callA}`, '/support/audit/export.csv', '/support/chains', '/support/charts', '/support/providers?q=x']) {
      expect({ path, status: (await provider.get(path)).status }).toEqual({ path, status: 403 });
    }
  });

  it('a failed call is found by its error code and its story gives the guidance', async () => {
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http503' } } });
    let failed: request.Response;
    try {
      failed = await verifyCall(vendorA, orgA);
    } finally {
      env.sim.admin.setFaults({});
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const code = String(failed.body.code);
    const rid = String(failed.headers['x-request-id']);
    const support = await as(await user(vendorA.id, ['support']));
    const list = await support.get(`/support/audit?errorCode=${encodeURIComponent(code)}`);
    expect(list.text).toContain(rid);
    expect(list.text).not.toContain(callA);
    const story = await support.get(`/support/requests/${rid}`);
    expect(story.text).toContain(`What <code>${code}</code> means`);
    expect(story.text).toContain('(retry)');
  });

  it('shows a tampered organisation chain as broken, naming its first bad event', async () => {
    const support = await as(await user(vendorA.id, ['support']));
    const [victim] = await owner<{ id: string }>(
      `select id from audit_events where chain_id = $1 order by chain_seq desc limit 1`,
      [`org:${orgA.id}`],
    );
    await owner(`alter table audit_events disable trigger audit_events_append_only`);
    try {
      await owner(`update audit_events set outcome = 'tampered' where id = $1`, [victim.id]);
    } finally {
      await owner(`alter table audit_events enable trigger audit_events_append_only`);
    }
    const chains = await support.get('/support/chains?run=1');
    expect(chains.text).toContain('1 of');
    expect(chains.text).toContain('chains are broken');
    expect(chains.text).toMatch(new RegExp(`organisation chain ${orgA.orgCode}[^<]*: first bad event <code>${victim.id}</code>`));
  });
});

/** Raw SOAP (retained only when AUDIT_RAW_RETENTION_DAYS > 0): `platform_admin` alone opens it, each view audited. */
describe('support console: raw SOAP for platform_admin', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    env = await createUsiTestEnv({ AUDIT_RAW_RETENTION_DAYS: '30' });
  }, 90_000);
  afterAll(() => env?.close());

  it('links each retained exchange from the story for platform_admin only, and records every view on the organisation chain', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const call = await request(env.gw.http)
      .post(`/v1/organisations/${organisation.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${await env.newKey(vendor, ['usi:verify'])}`)
      .send({ usi: USI, firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' })
      .expect(200);
    const rid = String(call.headers['x-request-id']);

    const staff = await env.gw.newUser({ vendorId: null, roles: ['platform_support'] });
    const staffStory = await (await new WebClient(env.gw).signInAs(staff)).get(`/support/requests/${rid}`);
    expect(staffStory.status).toBe(200);
    expect(staffStory.text).not.toContain('/raw/');

    const adminUser = await env.gw.newUser({ vendorId: null, roles: ['platform_admin'] });
    const admin = await new WebClient(env.gw).signInAs(adminUser);
    const story = await admin.get(`/support/requests/${rid}`);
    const link = /href="(\/support\/requests\/[^"]+\/raw\/([0-9a-f-]{36}))"/.exec(story.text);
    expect(link).not.toBeNull();
    const raw = await admin.get(link![1]);
    expect(raw.status).toBe(200);
    expect(raw.headers['cache-control']).toBe('no-store');
    expect(raw.text).toContain('VerifyUSI');
    expect(raw.text).toContain('&lt;');
    const views = await queryAs<{ organisation_id: string }>(
      env.gw.db.ownerUrl,
      `select organisation_id from audit_events where type = 'audit.raw_exchange_read' and actor = $1 and details->>'exchangeId' = $2`,
      [`user:${adminUser.id}`, link![2]],
    );
    expect(views).toEqual([{ organisation_id: organisation.id }]);
    // Another request's id in the path does not open it.
    expect((await admin.get(`/support/requests/other/raw/${link![2]}`)).status).toBe(404);
  });
});
