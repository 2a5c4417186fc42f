import request from 'supertest';
import { VERSION_OUTDATED_ALERT } from '@gateway/upstream/upstream-alerts';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { usiRoutes } from './support/usi-requests';

const HOUR = 3_600_000;

describe('web-service version: ErrorInfo 3458 from the simulator', () => {
  let env: UsiTestEnv;
  let routes: ReturnType<typeof usiRoutes>;
  let adminKey: string;
  // Fake time for every service that takes the CLOCK (the alert period among them); starts now, moved by the test.
  let now = new Date();

  beforeAll(async () => {
    env = await createUsiTestEnv({ USI_TIMEOUT_MS: '3000', USI_BREAKER_THRESHOLD: '2' }, { clock: () => now });
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    adminKey = await env.newKey(vendor, ['admin']);
    await routes.verify().expect(200);
  }, 60_000);
  afterAll(() => env?.close());

  const alerts = () =>
    queryAs<{ type: string; vendor_id: string | null; chain_id: string; details: Record<string, unknown> }>(
      env.gw.db.ownerUrl,
      `select type, vendor_id, chain_id, details from audit_events where type = $1 order by chain_seq`,
      [VERSION_OUTDATED_ALERT],
    );
  const counter = async () => {
    const text = (await request(env.gw.http).get('/metrics').expect(200)).text;
    return Number(/^usi_upstream_version_outdated_total\{environment="sim",version="v5"\} (\S+)$/m.exec(text)?.[1] ?? 0);
  };

  it('answers upstream.version_outdated with guidance, counts it, alerts once in an hour of fake time, retries nothing and leaves the breaker closed', async () => {
    env.sim.admin.setServiceVersion('v5', { outdated: true });
    env.counted();
    const minutes = [0, 1, 15, 30, 59];
    const start = now.getTime();
    for (const m of minutes) {
      now = new Date(start + m * 60_000);
      const res = await routes.verify();
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({
        code: 'upstream.version_outdated',
        type: '/docs/errors#upstream.version_outdated',
        serviceVersion: 'v5',
        upstream: { code: '3458' },
        guidance: { vendor: expect.arrayContaining([expect.stringMatching(/USI_SERVICE_VERSION/)]) },
      });
      expect(res.body.detail).toMatch(/no longer accepts web-service version v5: upgrade USI Gateway or set USI_SERVICE_VERSION/);
      expect(res.headers['retry-after']).toBeUndefined();
    }
    // One USI request per call (not retried, although reads are), no token re-issue, and the breaker (threshold 2) stays closed.
    expect(env.counted()).toMatchObject({ sts: 0, usi: { VerifyUSI: minutes.length } });
    const status = (await request(env.gw.http).get('/v1/status').set('Authorization', `Bearer ${adminKey}`).expect(200)).body;
    expect(status.environments[0].endpoints.usi.breaker).toBe('closed');
    expect(status.environments[0].versionOutdatedAt).toBe(now.toISOString());
    expect(await counter()).toBe(minutes.length);

    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      vendor_id: null,
      chain_id: 'platform',
      details: { environment: 'sim', version: 'v5', errorInfo: 3458, raisedAt: new Date(start).toISOString() },
    });

    // The next hour of fake time gets its own alert.
    now = new Date(start + HOUR + 60_000);
    await routes.verify().expect(502);
    expect(await alerts()).toHaveLength(2);
  });

  it('the registry accepting the version again ends it', async () => {
    env.sim.admin.setServiceVersion('v5', { outdated: false });
    await routes.verify().expect(200);
  });
});

describe('web-service version: USI_SERVICE_VERSION=v6 (draft) against the simulator', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    env = await createUsiTestEnv({ USI_SERVICE_VERSION: 'v6' });
  }, 60_000);
  afterAll(() => env?.close());

  it('calls the v6 endpoint with the 2026 namespace; v5 being outdated does not matter; status names the version', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    env.sim.admin.setServiceVersion('v5', { outdated: true });
    const res = await routes.verify().expect(200);
    expect(res.body).toMatchObject({ usiStatus: 'Valid' });
    const status = (await request(env.gw.http).get('/v1/status').set('Authorization', `Bearer ${await env.newKey(vendor, ['admin'])}`).expect(200)).body;
    expect(status.environments[0]).toMatchObject({
      serviceVersion: { id: 'v6', namespace: 'http://usi.gov.au/2026/ws', complete: false },
      endpoints: { usi: { url: `${env.sim.url}/service/v6/usiservice.svc` } },
    });
  });
});
