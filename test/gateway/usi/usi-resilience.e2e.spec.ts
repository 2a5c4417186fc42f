import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { usiRoutes } from './support/usi-requests';

const THRESHOLD = 3;
const COOLDOWN_MS = 600;

describe('USI routes: circuit breaker and reference cache under upstream failure', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  let key: string;
  let routes: ReturnType<typeof usiRoutes>;

  beforeAll(async () => {
    env = await createUsiTestEnv({
      USI_BREAKER_THRESHOLD: String(THRESHOLD),
      USI_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      USI_REFERENCE_TTL_MS: '1',
    });
    vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    key = await env.newKey(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, key);
  }, 60_000);
  afterAll(() => env?.close());
  beforeEach(async () => {
    env.sim.admin.clearFaults();
    await new Promise((r) => setTimeout(r, COOLDOWN_MS));
    await routes.verify().expect(200); // closes the breaker (half-open probe) and caches the token
    env.counted();
  });

  it('serves expired reference data when the registry fails (stale-while-revalidate)', async () => {
    const fresh = await routes.get('/reference/countries').expect(200);
    expect(fresh.headers['x-reference-cache']).toBe('miss');
    await new Promise((r) => setTimeout(r, 5));
    env.sim.admin.setFaults({ operations: { GetCountries: { failure: 'http503' } } });
    const stale = await routes.get('/reference/countries').expect(200);
    expect(stale.headers['x-reference-cache']).toBe('stale');
    expect(stale.body).toEqual(fresh.body);
    expect(env.counted().usi.GetCountries).toBeGreaterThan(1);
  });

  it('opens after consecutive outages, fails fast without calling upstream, and closes after a good probe', async () => {
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http503' } } });
    expect((await routes.verify()).status).toBe(503); // 3 attempts = threshold
    expect(env.counted().usi).toEqual({ VerifyUSI: 3 });

    const fast = await routes.verify();
    expect(fast.status).toBe(503);
    expect(fast.body.code).toBe('upstream.unavailable');
    expect(Number(fast.headers['retry-after'])).toBeGreaterThan(0);
    expect(env.counted().total).toBe(0);

    env.sim.admin.clearFaults();
    await new Promise((r) => setTimeout(r, COOLDOWN_MS));
    await routes.verify().expect(200);
    expect(env.counted().usi).toEqual({ VerifyUSI: 1 });
  });

  it('tenant faults never open a breaker: one provider without a RAM notification, another refused by the registry', async () => {
    const { organisation: unnotified } = await env.newOrganisation(vendor, { notified: false });
    const { organisation: refused } = await env.newOrganisation(vendor);
    // Known to the simulator, but its web-service access is not approved: ErrorInfo 2002 for every call.
    env.sim.admin.addOrganisation({ orgCode: refused.orgCode, abn: refused.abn, name: refused.legalName, kind: 'cloud', webServiceAccess: false });
    const calls = 3 * THRESHOLD;
    for (let i = 0; i < calls; i++) {
      const stsRefusal = await usiRoutes(env.gw.http, unnotified.orgCode, key).verify();
      expect([stsRefusal.status, stsRefusal.body.code]).toEqual([502, 'sts.notification_missing']);
      const usiRefusal = await usiRoutes(env.gw.http, refused.orgCode, key).verify();
      expect([usiRefusal.status, usiRefusal.body.code]).toEqual([403, 'usi.organisation_not_authorised']);
    }
    // Every one of them reached the simulator, none was failed fast (the refused provider's token is issued once).
    expect(env.counted()).toMatchObject({ sts: calls + 1, usi: { VerifyUSI: calls } });

    await routes.verify().expect(200);
    const otherVendor = await env.newVendor();
    const { organisation: other } = await env.newOrganisation(otherVendor);
    await usiRoutes(env.gw.http, other.orgCode, await env.newKey(otherVendor)).verify().expect(200);
  });

  it('an STS outage opens the STS breaker only: calls with a cached token go on', async () => {
    const { organisation: fresh } = await env.newOrganisation(vendor); // no token cached yet
    const freshRoutes = usiRoutes(env.gw.http, fresh.orgCode, key);
    env.sim.admin.setFaults({ sts: { failure: 'http503' } });
    expect((await freshRoutes.verify()).status).toBe(503); // 3 attempts = threshold
    expect(env.counted()).toMatchObject({ sts: THRESHOLD, usi: {} });

    const fast = await freshRoutes.verify();
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({ code: 'upstream.unavailable', detail: expect.stringContaining('token service (STS)') });
    expect(Number(fast.headers['retry-after'])).toBeGreaterThan(0);
    expect(env.counted().total).toBe(0);

    await routes.verify().expect(200);
    expect(env.counted()).toMatchObject({ sts: 0, usi: { VerifyUSI: 1 } });

    env.sim.admin.clearFaults();
    await new Promise((r) => setTimeout(r, COOLDOWN_MS));
    await freshRoutes.verify().expect(200);
  });

  it('a proxy 502 page in front of the USI service counts as an outage', async () => {
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http502' } } });
    for (let i = 0; i < THRESHOLD; i++) {
      const res = await routes.verify();
      expect([res.status, res.body.code]).toEqual([502, 'upstream.bad_response']);
    }
    expect(env.counted().usi).toEqual({ VerifyUSI: THRESHOLD });
    const fast = await routes.verify();
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({ code: 'upstream.unavailable', detail: expect.stringContaining('USI Registry') });
    expect(env.counted().total).toBe(0);
  });
});
