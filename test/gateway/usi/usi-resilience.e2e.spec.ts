import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { usiRoutes } from './support/usi-requests';

const COOLDOWN_MS = 600;

describe('USI routes: circuit breaker and reference cache under upstream failure', () => {
  let env: UsiTestEnv;
  let routes: ReturnType<typeof usiRoutes>;

  beforeAll(async () => {
    env = await createUsiTestEnv({
      USI_BREAKER_THRESHOLD: '3',
      USI_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      USI_REFERENCE_TTL_MS: '1',
    });
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
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
});
