import request from 'supertest';
import { ApiKeyService } from '@gateway/auth/api-keys/api-key.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { AuthorisationRepository } from '@gateway/tenancy/authorisations/authorisation.repository';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { queryAs } from '../../support/test-database';
import { randomAbn } from '../../support/abn';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { APPLICATION, MARYAM, usiRoutes } from './support/usi-requests';

/** Who may call what, for which organisation. Refusals made by the gateway never reach the simulator. */
describe('USI routes: isolation matrix', () => {
  let env: UsiTestEnv;
  let vendorA: Vendor;
  let vendorB: Vendor;
  let keyA: string;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendorA = await env.newVendor();
    vendorB = await env.newVendor();
    orgA = (await env.newOrganisation(vendorA)).organisation.orgCode;
    orgB = (await env.newOrganisation(vendorB)).organisation.orgCode;
    keyA = await env.newKey(vendorA);
  }, 60_000);
  afterAll(() => env?.close());
  beforeEach(() => env.counted());

  const comparable = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, detail: undefined });

  it("vendor A's key on vendor B's organisation is indistinguishable from an unknown organisation", async () => {
    const other = await usiRoutes(env.gw.http, orgB, keyA).verify();
    const unknown = await usiRoutes(env.gw.http, 'NOSUCH1', keyA).verify();
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('organisation.not_found');
    expect(comparable(other.body)).toEqual(comparable(unknown.body));
    expect(other.body.detail).toBe(unknown.body.detail);
    expect(env.counted().total).toBe(0);
  });

  it('a key restricted to another organisation gets 404 too', async () => {
    const { organisation } = await env.newOrganisation(vendorA);
    const restricted = await env.newKey(vendorA, ['usi:verify'], [organisation.id]);
    expect((await usiRoutes(env.gw.http, organisation.orgCode, restricted).verify()).status).toBe(200);
    const res = await usiRoutes(env.gw.http, orgA, restricted).verify();
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('organisation.not_found');
  });

  it('a key without the scope is refused (verify-only key creating a USI)', async () => {
    const readOnly = await env.newKey(vendorA, ['usi:verify']);
    const res = await usiRoutes(env.gw.http, orgA, readOnly).post('/usis', APPLICATION).set('Idempotency-Key', 'scope-1');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.forbidden_scope');
    expect(env.counted().total).toBe(0);
  });

  it('a revoked key is refused', async () => {
    const created = await env.gw.newApiKey(vendorA.id, { scopes: ['usi:verify'] });
    await env.gw.app.get(ApiKeyService).revoke(asVendorId(vendorA.id), created.id);
    const res = await usiRoutes(env.gw.http, orgA, created.key).verify();
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_api_key');
  });

  it('a revoked authorisation → 403 authorisation.not_active with RAM guidance', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendorA);
    await env.gw.app.get(AuthorisationRepository).transition(asVendorId(vendorA.id), authorisation.id, 'revoke');
    const res = await usiRoutes(env.gw.http, organisation.orgCode, keyA).verify();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'authorisation.not_active',
      authorisationStatus: 'revoked',
      guidance: { vendorAbn: vendorA.abn, softwareId: authorisation.softwareId, steps: expect.any(Array) },
    });
    expect(env.counted().total).toBe(0);
  });

  it('an authorisation past its end date → 403 authorisation.not_active (expired)', async () => {
    const { organisation } = await env.newOrganisation(vendorA, { endDate: '2021-01-01' });
    const res = await usiRoutes(env.gw.http, organisation.orgCode, keyA).verify();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'authorisation.not_active', authorisationStatus: 'expired' });
    expect(env.counted().total).toBe(0);
  });

  it('a regenerated software ID (RAM notification still on the old one): 403 until tested; the test shows the STS fault and guidance', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendorA);
    const routes = usiRoutes(env.gw.http, organisation.orgCode, keyA);
    await routes.verify().expect(200);
    const regenerated = await env.gw.app
      .get(AuthorisationRepository)
      .transition(asVendorId(vendorA.id), authorisation.id, 'regenerate');
    const newId = regenerated!.softwareId;
    expect(newId).not.toBe(authorisation.softwareId);

    const blocked = await routes.verify();
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ code: 'authorisation.not_active', guidance: { softwareId: newId } });

    const test = await routes.post('/connection-test', {}).expect(200);
    expect(test.body).toMatchObject({
      ok: false,
      status: 'pending',
      softwareId: newId,
      detail: {
        code: 'sts.notification_missing',
        upstream: { message: expect.stringContaining('notification') },
        guidance: { vendorAbn: vendorA.abn, softwareId: newId },
      },
    });

    env.sim.admin.addNotification({ vendorAbn: vendorA.abn, providerAbn: organisation.abn, softwareId: newId });
    await routes.post('/connection-test', {}).expect(200);
    await routes.verify().expect(200);
  });

  it('an active authorisation without a notification in RAM → 502 sts.notification_missing with the STS text and guidance', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendorA, { notified: false });
    const res = await usiRoutes(env.gw.http, organisation.orgCode, keyA).verify();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'sts.notification_missing',
      upstream: { title: 'STS fault', message: expect.stringContaining('E2035') },
      guidance: { vendorAbn: vendorA.abn, softwareId: authorisation.softwareId },
    });
    expect(env.counted()).toMatchObject({ sts: 1, total: 1 });
  });

  it('two vendors register the same provider org code; each works through its own RAM notification, apart from the other', async () => {
    const orgCode = `SH${Date.now().toString(36).slice(-6).toUpperCase()}`; // ≤ 8 characters in the registry
    const providerAbn = randomAbn();
    env.sim.admin.addOrganisation({ orgCode, abn: providerAbn, name: 'Shared Provider', kind: 'cloud' });
    const register = async (vendor: Vendor) => {
      const admin = { Authorization: `Bearer ${(await env.gw.newApiKey(vendor.id, { scopes: ['admin'] })).key}` };
      const organisation = await request(env.gw.http)
        .post('/v1/organisations')
        .set(admin)
        .send({ orgCode, abn: providerAbn, legalName: 'Shared Provider', kind: 'RTO' })
        .expect(201);
      const authorisation = await request(env.gw.http)
        .post(`/v1/organisations/${orgCode}/authorisations`)
        .set(admin)
        .send({ startDate: '2020-01-01' })
        .expect(201);
      const routes = usiRoutes(env.gw.http, orgCode, await env.newKey(vendor, ['usi:verify']));
      return { vendor, admin, routes, organisationId: organisation.body.id as string, softwareId: authorisation.body.softwareId as string };
    };
    const a = await register(await env.newVendor());
    const b = await register(await env.newVendor());
    expect(a.organisationId).not.toBe(b.organisationId);
    expect(a.softwareId).not.toBe(b.softwareId);

    // Only A's notification is in RAM: the connection test proves A's link and refuses B's.
    env.sim.admin.addNotification({ vendorAbn: a.vendor.abn, providerAbn, softwareId: a.softwareId });
    expect((await a.routes.post('/connection-test', {}).expect(200)).body).toMatchObject({ ok: true, status: 'active', softwareId: a.softwareId });
    expect((await b.routes.post('/connection-test', {}).expect(200)).body).toMatchObject({
      ok: false,
      status: 'pending',
      softwareId: b.softwareId,
      detail: { code: 'sts.notification_missing', guidance: { vendorAbn: b.vendor.abn, softwareId: b.softwareId } },
    });
    await a.routes.verify().set('X-Request-Id', `${orgCode}-a1`).expect(200);
    expect((await b.routes.verify()).body).toMatchObject({ code: 'authorisation.not_active', authorisationStatus: 'pending' });

    env.sim.admin.addNotification({ vendorAbn: b.vendor.abn, providerAbn, softwareId: b.softwareId });
    await b.routes.post('/connection-test', {}).expect(200);
    await b.routes.verify().set('X-Request-Id', `${orgCode}-b1`).expect(200);

    // Each call was made for the caller's own registration, and each vendor sees only its own.
    const exchanges = await queryAs<{ request_id: string; vendor_id: string; organisation_id: string }>(
      env.gw.db.ownerUrl,
      `select distinct request_id, vendor_id, organisation_id from audit_events where category = 'exchange' and request_id like $1 order by request_id`,
      [`${orgCode}-%`],
    );
    expect(exchanges).toEqual([
      { request_id: `${orgCode}-a1`, vendor_id: a.vendor.id, organisation_id: a.organisationId },
      { request_id: `${orgCode}-b1`, vendor_id: b.vendor.id, organisation_id: b.organisationId },
    ]);
    const listed = await request(env.gw.http).get('/v1/organisations').set(a.admin).expect(200);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([a.organisationId]);

    // A deletes its registration: B's is untouched (the access cache is keyed per vendor and invalidated per organisation).
    await request(env.gw.http).delete(`/v1/organisations/${orgCode}`).set(a.admin).expect(204);
    expect((await a.routes.verify()).status).toBe(404);
    await b.routes.verify().expect(200);
    await request(env.gw.http).get(`/v1/organisations/${orgCode}`).set(b.admin).expect(200);
  });

  it('no secrets in problem bodies', async () => {
    const res = await request(env.gw.http).post(`/v1/organisations/${orgB}/usi/verify`).set('Authorization', `Bearer ${keyA}`).send(MARYAM);
    expect(JSON.stringify(res.body)).not.toContain(keyA);
  });
});
