import request from 'supertest';
import { AuditService } from '@gateway/audit/audit.service';
import { WebhookEvents } from '@gateway/common/webhook-events/webhook-events';
import { asVendorId } from '@gateway/database/vendor-id';
import { ExpiryRepository } from '@gateway/expiry/expiry.repository';
import { ExpiryScheduler } from '@gateway/expiry/expiry.scheduler';
import { ExpiryService } from '@gateway/expiry/expiry.service';
import { MetricsService } from '@gateway/metrics/metrics.service';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { PUBLIC_KEYSTORE_PATH, publicKeystore } from '../../support/public-keystores';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

const NOW = new Date('2030-01-01T00:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

/** The domain code on main emits its events through the WebhookEvents port; recorded whether or not anyone listens. */
describe('webhook events emitted by the domain', () => {
  let gw: GatewayTestApp;
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(gw.db.ownerUrl, sql, params);
  const eventsOf = (vendorId: string) =>
    owner<{ type: string; body: string }>(`select type, body from webhook_events where vendor_id = $1 order by created_at, type`, [vendorId]).then(
      (rows) => rows.map((r) => ({ type: r.type, ...(JSON.parse(r.body) as { data: Record<string, unknown> }) })),
    );

  beforeAll(async () => {
    gw = await createGatewayApp();
    await gw.app.get(ExpiryScheduler).onApplicationShutdown();
  }, 60_000);
  afterAll(() => gw?.close());

  it('expiry sweep: credential.expiring, credential.expired (once, however many sweeps), authorisation.expired', async () => {
    const vendor = (await gw.newVendor()).id;
    const credential = async (notAfter: Date) =>
      (
        await owner<{ id: string }>(
          `insert into m2m_credentials (vendor_id, credential_id, abn, legal_name, serial_number, sha1_fingerprint, not_before,
             not_after, certificate_chain, encrypted_private_key, key_provider, status, activated_at, created_by)
           values ($1, 'ABRD:11000002568_X', '11000002568', 'X', '1', 'f', $2, $3, 'pem', '{}', 'local', 'active', now(), 'test') returning id`,
          [vendor, days(-365), notAfter],
        )
      )[0]!.id;
    const expiring = await credential(days(5));
    const org = await gw.newOrganisation(vendor);
    const [ended] = await owner<{ id: string }>(
      `insert into authorisations (vendor_id, organisation_id, software_id, start_date, end_date, status)
       values ($1, $2, lpad((floor(random() * 1e10))::bigint::text, 10, '0'), '2029-01-01', '2029-12-31', 'active') returning id`,
      [vendor, org.id],
    );
    let now = NOW;
    const sweeper = new ExpiryService(gw.app.get(ExpiryRepository), gw.app.get(MetricsService), () => now, gw.app.get(AuditService), gw.app.get(WebhookEvents));
    await sweeper.sweep();
    now = days(6); // the credential is now past its notAfter
    await sweeper.sweep();
    await sweeper.sweep();

    const events = await eventsOf(vendor);
    expect(events.map((e) => e.type).sort()).toEqual(['authorisation.expired', 'credential.expired', 'credential.expiring']);
    expect(events.find((e) => e.type === 'credential.expiring')!.data).toMatchObject({ credentialId: expiring, daysLeft: 5 });
    expect(events.find((e) => e.type === 'credential.expired')!.data).toMatchObject({ credentialId: expiring });
    expect(events.find((e) => e.type === 'authorisation.expired')!.data).toEqual({ authorisationId: ended!.id, organisationId: org.id, status: 'expired' });
  });

  it('authorisation revoked through the API: authorisation.revoked, with ids only', async () => {
    const vendor = (await gw.newVendor()).id;
    const key = (await gw.newApiKey(vendor, { scopes: ['admin'] })).key;
    const org = await gw.newOrganisation(vendor);
    const created = await request(gw.http)
      .post(`/v1/organisations/${org.orgCode}/authorisations`)
      .set('Authorization', `Bearer ${key}`)
      .send({ startDate: '2026-01-01' });
    await request(gw.http).post(`/v1/organisations/${org.orgCode}/authorisations/${created.body.id}/revoke`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(await eventsOf(vendor)).toEqual([
      {
        type: 'authorisation.revoked',
        timestamp: expect.any(String),
        data: { authorisationId: created.body.id, organisationId: org.id, orgCode: org.orgCode, status: 'revoked' },
      },
    ]);
  });

  it('a failed connection test: connection_test.failed with the problem code', async () => {
    const vendor = (await gw.newVendor()).id;
    const key = (await gw.newApiKey(vendor, { scopes: ['admin', 'usi:verify'] })).key;
    const org = await gw.newOrganisation(vendor);
    await request(gw.http).post(`/v1/organisations/${org.orgCode}/authorisations`).set('Authorization', `Bearer ${key}`).send({ startDate: '2026-01-01' });
    // No machine credential uploaded: the test cannot get a token.
    const res = await request(gw.http).post(`/v1/organisations/${org.orgCode}/connection-test`).set('Authorization', `Bearer ${key}`);
    expect(res.body.ok).toBe(false);
    const [event] = await eventsOf(vendor);
    expect(event).toMatchObject({ type: 'connection_test.failed', data: { organisationId: org.id, orgCode: org.orgCode, code: res.body.detail.code } });
  });

  it('emit never throws: a failed insert is logged, and the caller carries on', async () => {
    // An unknown vendor id breaks the insert (RLS / foreign key).
    await expect(gw.app.get(WebhookEvents).emit(asVendorId('00000000-0000-4000-8000-000000000000'), 'credential.expired', {})).resolves.toBeUndefined();
  });
});

describe('webhook events emitted with the simulator: credential lifecycle, connection test', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    // A simulator that trusts the public 3PT chain: an upload passes its token check and becomes active.
    env = await createUsiTestEnv({}, { trustKeystores: [PUBLIC_KEYSTORE_PATH], population: 5 });
    await env.gw.app.get(ExpiryScheduler).onApplicationShutdown();
  }, 60_000);
  afterAll(() => env?.close());

  it('credential.activated once the upload passed its check, with the credential id and notAfter only', async () => {
    const gw = env.gw;
    const vendor = (await gw.newVendor({ abn: '11000002568' })).id;
    const key = await gw.newApiKey(vendor);
    const res = await request(gw.http)
      .post('/v1/credentials')
      .set('Authorization', `Bearer ${key.key}`)
      .field('credentialId', 'ABRD:11000002568_INGLETON153')
      .field('password', 'Password1!')
      .attach('keystore', publicKeystore(), 'k.xml')
      .expect(201);
    expect(res.body.status).toBe('active');
    const rows = await queryAs<{ type: string; body: string }>(gw.db.ownerUrl, `select type, body from webhook_events where vendor_id = $1`, [vendor]);
    expect(rows.map((r) => ({ type: r.type, data: JSON.parse(r.body).data }))).toEqual([
      { type: 'credential.activated', data: { credentialId: res.body.id, organisationId: null, notAfter: res.body.notAfter } },
    ]);
  });

  it('a connection test that activates a pending authorisation: authorisation.activated', async () => {
    const vendor = await env.newVendor();
    const { organisation, authorisation } = await env.newOrganisation(vendor, { status: 'pending' });
    const key = await env.newKey(vendor, ['usi:verify']);
    const res = await request(env.gw.http).post(`/v1/organisations/${organisation.orgCode}/connection-test`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(res.body).toMatchObject({ ok: true, status: 'active' });
    const rows = await queryAs<{ body: string }>(env.gw.db.ownerUrl, `select body from webhook_events where vendor_id = $1 and type = 'authorisation.activated'`, [
      vendor.id,
    ]);
    expect(rows.map((r) => JSON.parse(r.body).data)).toEqual([
      { organisationId: organisation.id, orgCode: organisation.orgCode, connectionMode: 'my_cloud', authorisationId: authorisation.id, status: 'active' },
    ]);
  });
});
