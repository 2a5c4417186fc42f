import { Logger } from '@nestjs/common';
import request from 'supertest';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { usiRoutes } from './support/usi-requests';

const SIX_MINUTES = 6 * 60_000;

/**
 * Upstream health: the STS clock offset (gauge, readiness, the problem code of a refused timestamp) and the status
 * routes, against the simulator.
 */
describe('upstream health: clock skew, readiness, /v1/status', () => {
  let env: UsiTestEnv;
  let adminKey: string;
  let vendorId: string;

  beforeAll(async () => {
    env = await createUsiTestEnv({ USI_TIMEOUT_MS: '3000', USI_BREAKER_THRESHOLD: '1000' });
    const vendor = await env.newVendor();
    vendorId = vendor.id;
    adminKey = await env.newKey(vendor, ['admin']);
  }, 60_000);
  afterAll(() => env?.close());
  afterEach(() => env.sim.admin.clearFaults());

  /** A new organisation: its ActAs token is not cached, so the next call asks the STS. */
  const freshRoutes = async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    return usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
  };
  const status = async () => (await request(env.gw.http).get('/v1/status').set('Authorization', `Bearer ${adminKey}`).expect(200)).body;
  const gauge = async () => {
    const text = (await request(env.gw.http).get('/metrics').expect(200)).text;
    const match = /^usi_upstream_clock_offset_seconds\{environment="sim",endpoint="sts"\} (\S+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  };

  it('a clock skewed by 6 minutes in the simulator: upstream.clock_skew with the offset and guidance, a failing readiness detail, the gauge', async () => {
    const routes = await freshRoutes();
    env.sim.admin.setFaults({ sts: { clockSkewMs: SIX_MINUTES } });
    const res = await routes.verify();
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'upstream.clock_skew',
      type: '/docs/errors#upstream.clock_skew',
      upstream: { code: 'MessageExpired', title: 'STS fault' },
      guidance: { docs: '/docs/errors#upstream.clock_skew', vendor: expect.arrayContaining([expect.stringMatching(/NTP/)]) },
    });
    expect(res.body.clockOffsetSeconds).toBeGreaterThanOrEqual(359);
    expect(res.body.clockOffsetSeconds).toBeLessThanOrEqual(361);
    expect(res.body.detail).toMatch(/clock is 36\d s behind the ATO's/);

    const ready = await request(env.gw.http).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toEqual({ status: 'up' });
    expect(ready.body.checks.upstreamClock).toMatchObject({ status: 'down', error: expect.stringMatching(/fix NTP/) });
    expect(ready.body.checks.upstreamClock.offsetSeconds).toBeGreaterThan(355);

    expect(await gauge()).toBeGreaterThan(355);
    expect((await status()).environments[0].clock).toMatchObject({ state: 'skewed', source: 'http-date' });
  });

  it('a clock back in sync clears the readiness detail with the next STS answer', async () => {
    const routes = await freshRoutes();
    await routes.verify().expect(200);
    const ready = await request(env.gw.http).get('/health/ready').expect(200);
    expect(ready.body.checks.upstreamClock.status).toBe('up');
    expect(Math.abs(ready.body.checks.upstreamClock.offsetSeconds)).toBeLessThan(2);
    expect(Math.abs((await gauge())!)).toBeLessThan(2);
  });

  it('a 45-second offset is a warning: logged, shown in status, readiness still up', async () => {
    const routes = await freshRoutes();
    // Both ATO services share the skew, as their clocks would: the token's validity then agrees with the USI service.
    env.sim.admin.setFaults({ global: { clockSkewMs: 45_000 } });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await routes.verify().expect(200);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ offsetSeconds: expect.any(Number) }), expect.stringMatching(/more than 30 s/));
    } finally {
      warn.mockRestore();
    }
    const ready = await request(env.gw.http).get('/health/ready').expect(200);
    expect(ready.body.checks.upstreamClock).toMatchObject({ status: 'up', warning: expect.any(String) });
    expect((await status()).environments[0].clock.state).toBe('warning');
  });

  it("GET /v1/status: endpoints, version, last calls, window statistics, breakers, clock and the vendor's credential", async () => {
    const routes = await freshRoutes();
    await routes.verify().expect(200);
    const body = await status();
    expect(body.statistics).toMatch(/in memory, this gateway instance, sliding 15-minute window/);
    expect(body.environments).toHaveLength(1);
    const [sim] = body.environments;
    expect(sim).toMatchObject({
      environment: 'sim',
      serviceVersion: { id: 'v5', label: '5.0', namespace: 'http://usi.gov.au/2022/ws', complete: true },
      appliesTo: env.sim.usiUrl,
      endpoints: {
        sts: { url: env.sim.stsUrl, breaker: 'closed', lastSuccessAt: expect.any(String) },
        usi: { url: env.sim.usiUrl, breaker: 'closed', lastSuccessAt: expect.any(String) },
      },
      versionOutdatedAt: null,
    });
    expect(sim.endpoints.usi.window).toMatchObject({ windowMinutes: 15, calls: expect.any(Number), p95LatencyMs: expect.any(Number) });
    expect(sim.endpoints.usi.window.calls).toBeGreaterThanOrEqual(3);
    // The skew test's refused token request counts as a failed STS exchange.
    expect(sim.endpoints.sts.window.failures).toBeGreaterThanOrEqual(1);
    expect(sim.endpoints.sts.lastErrorCode).toBe('sts.fault');
    expect(body.credential).toMatchObject({ credentialId: expect.stringMatching(/^ABRD:\d{11}_Gw/), expired: false });
    expect(body.credential.daysLeft).toBeGreaterThan(300);
  });

  it('is for vendor administrators: a USI-only key is refused, platform staff use /v1/platform/status', async () => {
    const vendor = await env.newVendor();
    const usiKey = await env.newKey(vendor, ['usi:verify']);
    const refused = await request(env.gw.http).get('/v1/status').set('Authorization', `Bearer ${usiKey}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('auth.forbidden_scope');

    const staff = await env.gw.newUser({ vendorId: null, roles: ['platform_admin'] });
    const cookie = await env.gw.login(staff.email, staff.password);
    expect((await request(env.gw.http).get('/v1/status').set('Cookie', cookie)).body.code).toBe('auth.forbidden_scope');
    const platform = (await request(env.gw.http).get('/v1/platform/status').set('Cookie', cookie).expect(200)).body;
    expect(platform.environments[0].environment).toBe('sim');
    expect(platform.credentials.active).toBeGreaterThanOrEqual(2);
    expect(platform.credentials.soonest.map((c: { vendorId: string }) => c.vendorId)).toContain(vendorId);
    expect(platform.credentials.soonest[0]).toMatchObject({ vendorName: expect.any(String), daysLeft: expect.any(Number) });
    const asVendor = await request(env.gw.http).get('/v1/platform/status').set('Authorization', `Bearer ${adminKey}`);
    expect(asVendor.status).toBe(403);
  });
});
