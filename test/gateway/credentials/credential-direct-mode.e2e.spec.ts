import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import { AuditService } from '@gateway/audit/audit.service';
import { createApp } from '@gateway/create-app';
import { ExpiryRepository } from '@gateway/expiry/expiry.repository';
import { ExpiryService } from '@gateway/expiry/expiry.service';
import { MetricsService } from '@gateway/metrics/metrics.service';
import { CacheInvalidation } from '@gateway/common/cache/cache-invalidation.service';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { randomAbn } from '../../support/abn';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { usiRoutes } from '../usi/support/usi-requests';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    if (await probe()) return Date.now() - started;
    await sleep(20);
  }
  throw new Error(`not within ${limitMs} ms`);
}

/**
 * Issue 17, providers' own machine credentials: an organisation connects through the vendor's credential with ActAs
 * (`my_cloud`) or its own credential without ActAs (`direct`). Two gateway instances on one database, the simulator
 * as the upstream; its STS request log shows what went on the wire.
 */
describe('direct mode: an organisation with its own machine credential', () => {
  let env: UsiTestEnv;
  let appB: NestExpressApplication;
  let httpA: App;
  let httpB: App;
  let vendor: Vendor;
  let admin: string;
  let key: string;
  let vendorFingerprint: string;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_VENDOR_PER_MINUTE: '1000000', RATE_LIMIT_ORG_PER_MINUTE: '1000000' }, { population: 20 });
    appB = await createApp(env.gw.config);
    httpA = env.gw.http;
    httpB = appB.getHttpServer();
    await within(5_000, async () => appB.get(CacheInvalidation, { strict: false }).listening);
    vendor = await env.newVendor();
    admin = await env.newKey(vendor, ['admin']);
    key = await env.newKey(vendor, ['usi:verify']);
    vendorFingerprint = (await request(httpA).get('/v1/credentials').set('Authorization', `Bearer ${admin}`).expect(200)).body.items[0]
      .sha1Fingerprint;
  }, 60_000);
  afterAll(async () => {
    await appB?.close();
    await env?.close();
  });

  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const orgKeystore = (abn: string, name = `Own${abn.slice(-4)}`, notAfter?: Date) => ({
    keystoreXml: env.sim.admin.issueKeystore({ abn, name, password: 'pw', ...(notAfter ? { notAfter: notAfter.toISOString() } : {}) }),
    credentialId: `ABRD:${abn}_${name}`,
    password: 'pw',
  });
  const uploadFor = (org: Organisation, body: object) =>
    request(httpA).post(`/v1/organisations/${org.orgCode}/credentials`).set(auth()).send(body);
  const setMode = (org: Organisation, connectionMode: 'my_cloud' | 'direct') =>
    request(httpA).patch(`/v1/organisations/${org.orgCode}`).set(auth()).send({ connectionMode });
  const exchangeRows = (org: Organisation, requestIdPrefix: string) =>
    queryAs<{ fp: string; mode: string }>(
      env.gw.db.ownerUrl,
      `select details ->> 'credentialFingerprint' as fp, details ->> 'connectionMode' as mode from audit_events
        where organisation_id = $1 and category = 'exchange' and type = 'started' and details ->> 'kind' = 'usi' and request_id like $2`,
      [org.id, `${requestIdPrefix}%`],
    );

  it('refuses an organisation credential whose ABN is not the organisation’s, and direct mode without an active one', async () => {
    const { organisation } = await env.newOrganisation(vendor);
    const mismatch = await uploadFor(organisation, orgKeystore(randomAbn()));
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toMatchObject({ code: 'credential.abn_mismatch', detail: expect.stringContaining(`organisation ${organisation.orgCode}`) });
    const vendorsOwn = await uploadFor(organisation, orgKeystore(vendor.abn));
    expect(vendorsOwn.body.code).toBe('credential.abn_mismatch');
    expect((await request(httpA).get(`/v1/organisations/${organisation.orgCode}/credentials`).set(auth()).expect(200)).body.items).toEqual([]);

    const refused = await setMode(organisation, 'direct');
    expect([refused.status, refused.body.code]).toEqual([409, 'organisation.direct_credential_missing']);
    // The vendor's own list is not the organisation's.
    expect((await request(httpA).get('/v1/credentials').set(auth()).expect(200)).body.items).toHaveLength(1);
  });

  it('verifies in direct mode with the organisation’s own credential and no ActAs on the wire; no RAM notification needed', async () => {
    // Registered with the gateway and the registry, no authorisation, no cloud software notification.
    const organisation = await env.gw.newOrganisation(vendor.id, { orgCode: `DM${Date.now() % 100000}`, abn: randomAbn() });
    env.sim.admin.addOrganisation({ orgCode: organisation.orgCode, abn: organisation.abn, name: organisation.legalName, kind: 'direct' });
    const routes = usiRoutes(httpA, organisation.orgCode, key);
    expect((await routes.verify()).body.code).toBe('authorisation.not_active');

    env.sim.admin.clearStsRequests();
    const uploaded = await uploadFor(organisation, orgKeystore(organisation.abn)).expect(201);
    expect(uploaded.body).toMatchObject({ status: 'active', organisationId: organisation.id, abn: organisation.abn });
    const switched = await setMode(organisation, 'direct').expect(200);
    expect(switched.body.connectionMode).toBe('direct');

    await routes.verify().set('X-Request-Id', `${organisation.orgCode}-direct-1`).expect(200);
    await usiRoutes(httpB, organisation.orgCode, key).verify().set('X-Request-Id', `${organisation.orgCode}-direct-2`).expect(200);
    const sts = env.sim.admin.stsRequests();
    // The upload's check, then one token per instance: all signed by the organisation's credential, none with ActAs.
    expect(sts.map((r) => [r.outcome, r.credentialAbn, r.credentialFingerprint, r.actAs])).toEqual([
      ['issued', organisation.abn, uploaded.body.sha1Fingerprint, null],
      ['issued', organisation.abn, uploaded.body.sha1Fingerprint, null],
      ['issued', organisation.abn, uploaded.body.sha1Fingerprint, null],
    ]);
    expect(await exchangeRows(organisation, `${organisation.orgCode}-direct-`)).toEqual([
      { fp: uploaded.body.sha1Fingerprint, mode: 'direct' },
      { fp: uploaded.body.sha1Fingerprint, mode: 'direct' },
    ]);
    const test = await routes.post('/connection-test', {}).expect(200);
    expect(test.body).toMatchObject({ ok: true, connectionMode: 'direct', status: 'direct', softwareId: null });

    const events = await queryAs<{ details: { from: string; to: string } }>(
      env.gw.db.ownerUrl,
      `select details from audit_events where organisation_id = $1 and type = 'organisation.connection_mode_changed'`,
      [organisation.id],
    );
    expect(events.map((e) => [e.details.from, e.details.to])).toEqual([['my_cloud', 'direct']]);
  });

  it('switches modes under load with no restart, no failed request and no stale token, on both instances', async () => {
    const { organisation } = await env.newOrganisation(vendor); // my_cloud, notified
    const own = await uploadFor(organisation, orgKeystore(organisation.abn)).expect(201);
    expect(own.body.status).toBe('active');
    const targets = [httpA, httpB];
    for (const http of targets) await usiRoutes(http, organisation.orgCode, key).verify().expect(200); // my_cloud tokens cached
    let phase = 'cloud1';
    let running = true;
    const results: { status: number; code?: string }[] = [];
    let seq = 0;
    const workers = targets.flatMap((http) =>
      [0, 1].map(async () => {
        while (running) {
          const res = await usiRoutes(http, organisation.orgCode, key).verify().set('X-Request-Id', `${organisation.orgCode}-${phase}-${seq++}`);
          results.push({ status: res.status, code: res.body?.code });
        }
      }),
    );
    // A phase's requests are the ones sent after its switch had settled and before the next switch was asked for.
    const switchTo = async (mode: 'my_cloud' | 'direct', settled: string) => {
      phase = `switching_to_${mode}`;
      await setMode(organisation, mode).expect(200);
      await sleep(1_000); // B hears of the change through NOTIFY; requests in flight finish with their tokens
      phase = settled;
      await sleep(600);
    };
    await sleep(400);
    env.sim.admin.clearStsRequests();
    await switchTo('direct', 'settled_direct');
    const afterDirect = env.sim.admin.stsRequests();
    await switchTo('my_cloud', 'settled_cloud');
    const afterCloud = env.sim.admin.stsRequests().slice(afterDirect.length);
    running = false;
    await Promise.all(workers);

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Direct: each instance asked for a first-party token with the organisation's credential…
    expect(afterDirect.filter((r) => r.actAs === null && r.credentialFingerprint === own.body.sha1Fingerprint).length).toBeGreaterThanOrEqual(2);
    expect(afterDirect.filter((r) => r.actAs !== null)).toEqual([]);
    // …and back in My Cloud each asked for a fresh ActAs token: the earlier one had been flushed, not reused.
    expect(afterCloud.filter((r) => r.actAs?.secondPartyAbn === organisation.abn && r.credentialFingerprint === vendorFingerprint).length).toBeGreaterThanOrEqual(2);
    expect(afterCloud.filter((r) => r.actAs === null)).toEqual([]);
    // Once a switch had settled, every call used the mode's own credential.
    const direct = await exchangeRows(organisation, `${organisation.orgCode}-settled_direct-`);
    const cloud = await exchangeRows(organisation, `${organisation.orgCode}-settled_cloud-`);
    expect(direct.length).toBeGreaterThan(0);
    expect(cloud.length).toBeGreaterThan(0);
    expect(new Set(direct.map((r) => `${r.mode} ${r.fp}`))).toEqual(new Set([`direct ${own.body.sha1Fingerprint}`]));
    expect(new Set(cloud.map((r) => `${r.mode} ${r.fp}`))).toEqual(new Set([`my_cloud ${vendorFingerprint}`]));
    console.log(`mode switches: ${results.length} verifies, ${results.filter((r) => r.status !== 200).length} failed; settled direct ${direct.length}, settled my_cloud ${cloud.length}`);
  });

  it('gives an organisation credential the same lifecycle: renewal steps for its upload route, expiry warnings and gauge', async () => {
    const { organisation } = await env.newOrganisation(vendor);
    const own = (await uploadFor(organisation, orgKeystore(organisation.abn)).expect(201)).body as { id: string; notAfter: string };
    const renewal = await request(httpA).get(`/v1/credentials/${own.id}/renewal`).set(auth()).expect(200);
    expect(renewal.body.upload).toEqual({ method: 'POST', path: `/v1/organisations/${organisation.orgCode}/credentials` });
    expect(renewal.body.steps[0]).toContain(`organisation ${organisation.orgCode}`);

    const notAfter = new Date(own.notAfter);
    const sweeper = new ExpiryService(
      env.gw.app.get(ExpiryRepository),
      env.gw.app.get(MetricsService),
      () => new Date(notAfter.getTime() - 20 * 86_400_000),
      env.gw.app.get(AuditService),
    );
    const swept = await sweeper.sweep();
    expect(swept.newlyWarned.filter((c) => c.id === own.id)).toEqual([expect.objectContaining({ organisationId: organisation.id, daysBefore: 30 })]);
    const metrics = (await request(httpA).get('/metrics').expect(200)).text;
    expect(metrics).toContain(`organisation_credential_expires_in_seconds{vendor_id="${vendor.id}",organisation_id="${organisation.id}"} ${20 * 86_400}`);

    // Revoking it (the last valid one) needs the same confirmation, worded for the organisation.
    const revoke = await request(httpA).post(`/v1/credentials/${own.id}/revoke`).set(auth()).send({});
    expect(revoke.body).toMatchObject({ code: 'credential.confirmation_required', detail: expect.stringContaining(`organisation ${organisation.orgCode}`) });
  });
});
