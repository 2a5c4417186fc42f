import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { APPLICATION, usiRoutes } from './support/usi-requests';

/** Each mapped upstream error, produced by the simulator's fault injection. The breaker is kept out of the way here. */
describe('USI routes: upstream errors mapped to problem+json', () => {
  let env: UsiTestEnv;
  let routes: ReturnType<typeof usiRoutes>;

  beforeAll(async () => {
    env = await createUsiTestEnv({ USI_TIMEOUT_MS: '1500', USI_BREAKER_THRESHOLD: '1000' });
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    await routes.verify().expect(200); // token cached: the faults below hit the USI call itself
  }, 60_000);
  afterAll(() => env?.close());
  beforeEach(() => env.counted());
  afterEach(() => env.sim.admin.clearFaults());

  const inject = (rule: object, operation = 'VerifyUSI') => env.sim.admin.setFaults({ operations: { [operation]: rule } });

  it.each([
    [2002, 403, 'usi.organisation_not_authorised'],
    [1002, 422, 'usi.validation'],
    [2999, 422, 'usi.error'],
  ])('ErrorInfo %i → %i %s with the upstream code, title and message', async (errorCode, status, code) => {
    inject({ errorRate: 1, errorCode });
    const res = await routes.verify();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code, upstream: { code: String(errorCode), title: expect.any(String), message: expect.any(String) } });
    expect(env.counted().usi).toEqual({ VerifyUSI: 1 });
  });

  it('1001 → 503 usi.service_unavailable with Retry-After, after retrying the read', async () => {
    inject({ errorRate: 1, errorCode: 1001 });
    const res = await routes.verify();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'usi.service_unavailable', upstream: { code: '1001', title: 'Service Unavailable' } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(env.counted().usi).toEqual({ VerifyUSI: 3 });
  });

  it('a hanging registry → 504 upstream.timeout within the configured deadline', async () => {
    inject({ failure: 'hang' });
    const res = await routes.verify();
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('upstream.timeout');
  });

  it('malformed XML → 502 upstream.bad_response', async () => {
    inject({ failure: 'malformed' });
    const res = await routes.verify();
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream.bad_response');
  });

  it('HTTP 503 → 503 upstream.unavailable; the read is retried (3 attempts)', async () => {
    inject({ failure: 'http503' });
    const res = await routes.verify();
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('upstream.unavailable');
    expect(env.counted().usi).toEqual({ VerifyUSI: 3 });
  });

  it('writes are never retried', async () => {
    inject({ errorRate: 1, errorCode: 1001 }, 'CreateUSI');
    const res = await routes.post('/usis', APPLICATION).set('Idempotency-Key', 'no-retry-1');
    expect(res.status).toBe(503);
    expect(env.counted().usi).toEqual({ CreateUSI: 1 });
  });

  it('an STS fault the table does not describe (a bad signature) → 502 sts.fault with the STS text', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const other = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    env.sim.admin.setFaults({ sts: { stsFault: 'signature' } });
    const res = await other.verify();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'sts.fault', upstream: { title: 'STS fault', message: expect.any(String) } });
  });
});
