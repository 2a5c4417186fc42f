import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestCa, writeKeystore } from '@usi/keystore';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApp } from '@gateway/create-app';
import { CacheInvalidation } from '@gateway/common/cache/cache-invalidation.service';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { PUBLIC_KEYSTORE_PASSWORD, publicKeystore } from '../../support/public-keystores';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { usiRoutes } from '../usi/support/usi-requests';

const PASSWORD = 'pw';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    if (await probe()) return Date.now() - started;
    await sleep(20);
  }
  throw new Error(`not within ${limitMs} ms`);
}

/** Verifies in a loop on each instance until `stop()`; every answer is kept (status and problem code). */
function verifyLoad(targets: { http: App; orgCode: string; key: string }[], workersPerTarget: number) {
  const results: { status: number; code?: string; at: number }[] = [];
  let running = true;
  const workers = targets.flatMap((t) =>
    Array.from({ length: workersPerTarget }, async () => {
      while (running) {
        const res = await usiRoutes(t.http, t.orgCode, t.key).verify();
        results.push({ status: res.status, code: res.body?.code, at: Date.now() });
      }
    }),
  );
  return {
    results,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return results;
    },
  };
}

/**
 * Issue 17, credential lifecycle, end to end against the simulator with two gateway instances (A = the test env's
 * app, B = a second app on the same database): a bad upload never breaks a working setup, a good one switches over
 * without a failed request, rollback and revocation, and an expired credential failing without an STS request.
 */
describe('credential lifecycle (pending → active, rollback, expiry)', () => {
  let env: UsiTestEnv;
  let appB: NestExpressApplication;
  let httpA: App;
  let httpB: App;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_VENDOR_PER_MINUTE: '1000000', RATE_LIMIT_ORG_PER_MINUTE: '1000000' }, { population: 20 });
    appB = await createApp(env.gw.config);
    httpA = env.gw.http;
    httpB = appB.getHttpServer();
    await within(5_000, async () => appB.get(CacheInvalidation, { strict: false }).listening);
  }, 60_000);
  afterAll(async () => {
    env?.sim.admin.clearFaults();
    await appB?.close();
    await env?.close();
  });
  afterEach(() => env.sim.admin.clearFaults());

  interface Tenant {
    vendor: Vendor;
    organisation: Organisation;
    admin: string;
    key: string;
    activeId: string;
    activeFingerprint: string;
  }

  const setup = async (): Promise<Tenant> => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const admin = await env.newKey(vendor, ['admin']);
    const key = await env.newKey(vendor, ['usi:verify']);
    const listed = await request(httpA).get('/v1/credentials').set('Authorization', `Bearer ${admin}`).expect(200);
    const [active] = listed.body.items;
    return { vendor, organisation, admin, key, activeId: active.id, activeFingerprint: active.sha1Fingerprint };
  };

  /** A keystore the simulator trusts (issued by its CA), or one from a CA it has never heard of. */
  const keystore = (abn: string, options: { trusted?: boolean; name?: string; notAfter?: Date } = {}) => {
    const name = options.name ?? `Gw${randomBytes(3).toString('hex')}`;
    const xml =
      options.trusted === false
        ? (() => {
            const issued = createTestCa({ commonName: 'Unknown CA' }).issueMachineCredential({ abn, name, notBefore: new Date(Date.now() - 60_000) });
            return writeKeystore([{ abn, name, chain: issued.chain, privateKey: issued.privateKey }], PASSWORD);
          })()
        : env.sim.admin.issueKeystore({ abn, name, password: PASSWORD, ...(options.notAfter ? { notAfter: options.notAfter.toISOString() } : {}) });
    return { keystoreXml: xml, credentialId: `ABRD:${abn}_${name}`, password: PASSWORD };
  };

  const upload = (t: Tenant, body: object, http: App = httpA) =>
    request(http).post('/v1/credentials').set('Authorization', `Bearer ${t.admin}`).send(body);
  const credentials = async (t: Tenant) =>
    (await request(httpA).get('/v1/credentials').set('Authorization', `Bearer ${t.admin}`).expect(200)).body.items as {
      id: string;
      status: string;
      sha1Fingerprint: string;
    }[];
  /** Per credential fingerprint: the USI exchanges the gateway made for this vendor (audit `started` rows). */
  const servedBy = async (t: Tenant) =>
    Object.fromEntries(
      (
        await queryAs<{ fp: string; n: string }>(
          env.gw.db.ownerUrl,
          `select details ->> 'credentialFingerprint' as fp, count(*) as n from audit_events
            where vendor_id = $1 and category = 'exchange' and type = 'started' and details ->> 'kind' = 'usi'
            group by 1`,
          [t.vendor.id],
        )
      ).map((r) => [r.fp, Number(r.n)]),
    );

  it('a bad upload leaves the old credential active and working: verifies succeed before, during and after', async () => {
    const t = await setup();
    const targets = [
      { http: httpA, orgCode: t.organisation.orgCode, key: t.key },
      { http: httpB, orgCode: t.organisation.orgCode, key: t.key },
    ];
    for (const target of targets) await usiRoutes(target.http, target.orgCode, target.key).verify().expect(200); // before
    // The STS answers slowly, so the verifies below run while the check of the bad upload is in flight.
    env.sim.admin.setFaults({ sts: { latency: { fixedMs: 400 } } });
    const load = verifyLoad(targets, 2);
    const res = await upload(t, keystore(t.vendor.abn, { trusted: false }));
    await sleep(200);
    const during = await load.stop();
    env.sim.admin.clearFaults();

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      activatedAt: null,
      lastCheck: {
        ok: false,
        code: 'sts.certificate_untrusted',
        reason: 'certificate_not_accepted',
        message: expect.stringContaining('did not accept the certificate'),
        upstream: { code: 'FailedAuthentication' },
      },
    });
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((r) => r.status !== 200)).toEqual([]);
    for (const target of targets) await usiRoutes(target.http, target.orgCode, target.key).verify().expect(200); // after
    expect((await credentials(t)).map((c) => [c.id, c.status])).toEqual([
      [t.activeId, 'active'],
      [res.body.id, 'pending'],
    ]);
    // Every call was served by the old credential.
    expect(Object.keys(await servedBy(t))).toEqual([t.activeFingerprint]);
    console.log(`bad upload: ${during.length} verifies during the check, ${during.filter((r) => r.status !== 200).length} failed`);

    // Retrying changes nothing while the STS still refuses it; the pending one can be deleted, the active one cannot.
    const retried = await request(httpA).post(`/v1/credentials/${res.body.id}/check`).set('Authorization', `Bearer ${t.admin}`).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', lastCheck: { reason: 'certificate_not_accepted' } });
    const notPending = await request(httpA).delete(`/v1/credentials/${t.activeId}`).set('Authorization', `Bearer ${t.admin}`);
    expect([notPending.status, notPending.body.code]).toEqual([409, 'credential.not_pending']);
    await request(httpA).delete(`/v1/credentials/${res.body.id}`).set('Authorization', `Bearer ${t.admin}`).expect(204);
    expect((await credentials(t)).map((c) => c.status)).toEqual(['active']);
  });

  it("the issue's scenario: the public 3PT keystore, which the simulator does not trust, stays pending and breaks nothing", async () => {
    const vendor = await env.gw.newVendor({ abn: '11000002568' });
    const admin = await env.newKey(vendor, ['admin']);
    const t: Tenant = { vendor, organisation: undefined as unknown as Organisation, admin, key: '', activeId: '', activeFingerprint: '' };
    const first = await upload(t, keystore(vendor.abn)).expect(201);
    expect(first.body.status).toBe('active');
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor, ['usi:verify']);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);

    const threePt = await upload(t, {
      keystoreXml: publicKeystore().toString('utf8'),
      credentialId: 'ABRD:11000002568_INGLETON153',
      password: PUBLIC_KEYSTORE_PASSWORD,
    }).expect(201);
    expect(threePt.body).toMatchObject({ status: 'pending', lastCheck: { code: 'sts.certificate_untrusted', reason: 'certificate_not_accepted' } });
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
    await usiRoutes(httpB, organisation.orgCode, key).verify().expect(200);
    // Revoking the pending one needs no confirmation: it never served.
    await request(httpA).post(`/v1/credentials/${threePt.body.id}/revoke`).set('Authorization', `Bearer ${admin}`).expect(200);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
  });

  it('says why a check failed in plain words: registry unavailable, clock skew; a retry activates it once the STS accepts it', async () => {
    const t = await setup();
    env.sim.admin.setFaults({ sts: { failure: 'http503' } });
    const unavailable = await upload(t, keystore(t.vendor.abn)).expect(201);
    expect(unavailable.body).toMatchObject({
      status: 'pending',
      lastCheck: { ok: false, code: 'upstream.unavailable', reason: 'unavailable', message: expect.stringContaining('could not be checked') },
    });
    env.sim.admin.setFaults({ sts: { clockSkewMs: 3_600_000 } });
    const skewed = await request(httpA).post(`/v1/credentials/${unavailable.body.id}/check`).set('Authorization', `Bearer ${t.admin}`).expect(200);
    expect(skewed.body).toMatchObject({ status: 'pending', lastCheck: { reason: 'clock_skew', message: expect.stringContaining('clock') } });
    env.sim.admin.clearFaults();
    await usiRoutes(httpA, t.organisation.orgCode, t.key).verify().expect(200);

    const passed = await request(httpA).post(`/v1/credentials/${unavailable.body.id}/check`).set('Authorization', `Bearer ${t.admin}`).expect(200);
    expect(passed.body).toMatchObject({ status: 'active', lastCheck: { ok: true } });
    expect((await credentials(t)).map((c) => c.status)).toEqual(['superseded', 'active']);
    const events = await queryAs<{ type: string }>(
      env.gw.db.ownerUrl,
      `select type from audit_events where vendor_id = $1 and type like 'credential.%' order by chain_seq`,
      [t.vendor.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'credential.uploaded',
      'credential.activated',
      'credential.uploaded',
      'credential.check_failed',
      'credential.check_failed',
      'credential.rotated',
    ]);
  });

  it('a good upload switches over with no failed request under a concurrent verify load, on both instances, and flushes their tokens', async () => {
    const t = await setup();
    const targets = [
      { http: httpA, orgCode: t.organisation.orgCode, key: t.key },
      { http: httpB, orgCode: t.organisation.orgCode, key: t.key },
    ];
    for (const target of targets) await usiRoutes(target.http, target.orgCode, target.key).verify().expect(200); // tokens cached on A and B
    env.sim.admin.clearStsRequests();
    const load = verifyLoad(targets, 3);
    await sleep(300);
    const res = await upload(t, keystore(t.vendor.abn)).expect(201);
    const switchedAt = Date.now();
    expect(res.body).toMatchObject({ status: 'active', lastCheck: { ok: true } });
    // Both instances must be using the new credential within 0.8 s (B hears of it through Postgres NOTIFY).
    await sleep(1_500);
    const results = await load.stop();

    const failures = results.filter((r) => r.status !== 200);
    expect(failures).toEqual([]);
    const served = await servedBy(t);
    expect(served[t.activeFingerprint]).toBeGreaterThan(0);
    expect(served[res.body.sha1Fingerprint]).toBeGreaterThan(0);
    // The old credential's tokens were dropped on both instances: each asked the STS for an ActAs token signed with
    // the new credential (besides the upload's own check, which has no ActAs).
    const sts = env.sim.admin.stsRequests().filter((r) => r.credentialFingerprint === res.body.sha1Fingerprint);
    expect(sts.filter((r) => r.actAs === null)).toHaveLength(1);
    expect(sts.filter((r) => r.actAs?.secondPartyAbn === t.organisation.abn).length).toBeGreaterThanOrEqual(2);
    expect(env.sim.admin.stsRequests().filter((r) => r.credentialFingerprint === t.activeFingerprint)).toEqual([]);
    // After the switch settled, nothing was served by the old credential any more.
    const lateOld = await queryAs<{ n: string }>(
      env.gw.db.ownerUrl,
      `select count(*) as n from audit_events where vendor_id = $1 and category = 'exchange' and type = 'started'
         and details ->> 'credentialFingerprint' = $2 and occurred_at > $3`,
      [t.vendor.id, t.activeFingerprint, new Date(switchedAt + 800)],
    );
    expect(Number(lateOld[0].n)).toBe(0);
    console.log(
      `switch-over: ${results.length} verifies (${results.filter((r) => r.at < switchedAt).length} before the upload answered), ` +
        `${failures.length} failed; served by old ${served[t.activeFingerprint]}, by new ${served[res.body.sha1Fingerprint]}`,
    );
  });

  it('rolls back to a valid superseded credential (confirmed, audited); revoking offers the fallback or needs a confirmation', async () => {
    const t = await setup();
    const auth = { Authorization: `Bearer ${t.admin}` };
    const a = t.activeId;
    const b = (await upload(t, keystore(t.vendor.abn, { name: 'Second' })).expect(201)).body as { id: string; sha1Fingerprint: string; warnings: unknown[] };
    expect(b.warnings).toEqual([expect.objectContaining({ code: 'credential.name_changed' })]);

    const unconfirmed = await request(httpA).post(`/v1/credentials/${a}/activate`).set(auth).send({});
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body).toMatchObject({ code: 'credential.confirmation_required', replaces: { id: b.id, status: 'active' } });
    const rolledBack = await request(httpA).post(`/v1/credentials/${a}/activate`).set(auth).send({ confirm: true }).expect(200);
    expect(rolledBack.body).toMatchObject({ id: a, status: 'active' });
    expect((await credentials(t)).map((c) => [c.id, c.status])).toEqual([
      [a, 'active'],
      [b.id, 'superseded'],
    ]);
    env.sim.admin.clearStsRequests();
    await usiRoutes(httpB, t.organisation.orgCode, t.key).verify().expect(200);
    expect(env.sim.admin.stsRequests().map((r) => r.credentialFingerprint)).toEqual([t.activeFingerprint]);

    // Revoking the active one: the superseded one is offered by name.
    const offered = await request(httpA).post(`/v1/credentials/${a}/revoke`).set(auth);
    expect(offered.status).toBe(409);
    expect(offered.body).toMatchObject({ code: 'credential.fallback_available', fallback: { id: b.id, sha1Fingerprint: b.sha1Fingerprint } });
    const switched = await request(httpA).post(`/v1/credentials/${a}/revoke`).set(auth).send({ activate: b.id }).expect(200);
    expect(switched.body).toMatchObject({ id: a, status: 'revoked', replacedBy: { id: b.id, status: 'active' } });
    await usiRoutes(httpA, t.organisation.orgCode, t.key).verify().expect(200);
    const reactivatingRevoked = await request(httpA).post(`/v1/credentials/${a}/activate`).set(auth).send({ confirm: true });
    expect([reactivatingRevoked.status, reactivatingRevoked.body.code]).toEqual([409, 'credential.not_reactivatable']);

    // The last valid credential: revoking it needs an explicit confirmation that USI calls stop.
    const last = await request(httpA).post(`/v1/credentials/${b.id}/revoke`).set(auth).send({});
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ code: 'credential.confirmation_required', detail: expect.stringContaining('stops every USI call') });
    await usiRoutes(httpA, t.organisation.orgCode, t.key).verify().expect(200);
    await request(httpA).post(`/v1/credentials/${b.id}/revoke`).set(auth).send({ confirm: true }).expect(200);
    const stopped = await usiRoutes(httpA, t.organisation.orgCode, t.key).verify();
    expect([stopped.status, stopped.body.code]).toEqual([409, 'credential.none_active']);
    await within(1_000, async () => (await usiRoutes(httpB, t.organisation.orgCode, t.key).verify()).body.code === 'credential.none_active');

    // …and the way back: a new upload.
    await upload(t, keystore(t.vendor.abn)).expect(201);
    await usiRoutes(httpA, t.organisation.orgCode, t.key).verify().expect(200);

    const events = await queryAs<{ type: string; actor: string }>(
      env.gw.db.ownerUrl,
      `select type, actor from audit_events where vendor_id = $1 and type in ('credential.reactivated', 'credential.revoked') order by chain_seq`,
      [t.vendor.id],
    );
    expect(events.map((e) => e.type)).toEqual(['credential.reactivated', 'credential.revoked', 'credential.reactivated', 'credential.revoked']);
    expect(events.every((e) => e.actor?.startsWith('api_key:'))).toBe(true);
  });

  it('gives the renewal steps: RAM, the same name, download, upload here; manual only', async () => {
    const t = await setup();
    const [active] = await credentials(t);
    const res = await request(httpA).get(`/v1/credentials/${active.id}/renewal`).set('Authorization', `Bearer ${t.admin}`).expect(200);
    const name = (res.body.credential.credentialId as string).split('_')[1];
    expect(res.body).toMatchObject({ method: 'manual', automated: false, upload: { method: 'POST', path: '/v1/credentials' }, expired: false });
    expect(res.body.steps.join('\n')).toMatch(/Relationship Authorisation Manager/);
    expect(res.body.steps.join('\n')).toContain(`named exactly "${name}"`);
    expect(res.body.notes.join('\n')).toMatch(/not publicly specified/);
  });

  it('an expired credential fails fast with credential.expired and the renewal guidance, without an STS request', async () => {
    const t0 = await setup();
    // A credential that expires 4 s from now: checked and active at upload, then it runs out.
    const notAfter = new Date(Date.now() + 4_000);
    const short = await upload(t0, keystore(t0.vendor.abn, { notAfter })).expect(201);
    expect(short.body).toMatchObject({ status: 'active' });
    await usiRoutes(httpA, t0.organisation.orgCode, t0.key).verify().expect(200);
    await sleep(Math.max(0, notAfter.getTime() - Date.now()) + 1_000);
    env.counted();
    env.sim.admin.clearStsRequests();
    for (const http of [httpA, httpB]) {
      const res = await usiRoutes(http, t0.organisation.orgCode, t0.key).verify();
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'credential.expired',
        credential: { id: short.body.id, sha1Fingerprint: short.body.sha1Fingerprint },
        guidance: { renewal: `GET /v1/credentials/${short.body.id}/renewal`, steps: expect.arrayContaining([expect.stringContaining('RAM')]) },
      });
    }
    expect(env.counted()).toMatchObject({ sts: 0, total: 0 });
    expect(env.sim.admin.stsRequests()).toEqual([]);
  });
});
