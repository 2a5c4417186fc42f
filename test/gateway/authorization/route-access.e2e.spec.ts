import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { AccessWorld, buildAccessWorld, PRINCIPALS } from './support/access-world';
import { Outcome, ROUTE_MATRIX, RouteRequest } from './support/route-access.matrix';

const POLICY_REFUSALS: Readonly<Record<string, Outcome>> = {
  'auth.unauthenticated': 'unauthenticated',
  'auth.invalid_api_key': 'unauthenticated',
  'auth.forbidden_scope': 'forbidden',
  'auth.vendor_wide_required': 'vendor_wide',
  'auth.exceeds_own_access': 'exceeds',
};

/** What happened, in the matrix's words (anything else is spelled out so a mismatch reads clearly). */
function outcomeOf(res: request.Response): string {
  const code = typeof res.body?.code === 'string' ? res.body.code : undefined;
  if (res.status >= 200 && res.status < 300) return 'ok';
  if (code && POLICY_REFUSALS[code] && (res.status === 401 || res.status === 403)) return POLICY_REFUSALS[code];
  if (res.status === 404 && code?.endsWith('.not_found')) return 'not_found';
  return `${res.status} ${code ?? ''}`.trim();
}

function matches(expected: Outcome, actual: string, status: number): boolean {
  if (expected === 'passes') return status !== 500 && !Object.values(POLICY_REFUSALS).includes(actual as Outcome);
  return actual === expected;
}

/**
 * Issue 13 §2 and §3: every route of the OpenAPI document against every kind of principal, through the real guard,
 * CSRF token and services. Writes by session users carry their CSRF token, so only the access policy decides.
 */
describe('route access matrix: every documented route × every principal', () => {
  let gw: GatewayTestApp;
  let world: AccessWorld;
  let documented: string[];

  beforeAll(async () => {
    gw = await createGatewayApp({
      env: { RATE_LIMIT_VENDOR_PER_MINUTE: '100000', RATE_LIMIT_ORG_PER_MINUTE: '100000', USI_RETRIES: '0', USI_TIMEOUT_MS: '2000' },
    });
    world = await buildAccessWorld(gw);
    const doc = (await request(gw.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
  }, 60_000);
  afterAll(() => gw?.close());

  it('has an entry for every documented route, and none for a route that does not exist', () => {
    expect(documented.length).toBeGreaterThan(40);
    const inMatrix = Object.keys(ROUTE_MATRIX);
    expect({ missing: documented.filter((r) => !inMatrix.includes(r)), stale: inMatrix.filter((r) => !documented.includes(r)) }).toEqual({
      missing: [],
      stale: [],
    });
  });

  it.each(Object.keys(ROUTE_MATRIX))('%s', async (route) => {
    const [method] = route.split(' ');
    const mismatches: string[] = [];
    for (const { label, request: build, expected } of ROUTE_MATRIX[route]) {
      for (const who of PRINCIPALS) {
        const req: RouteRequest = await build(world, who);
        const res = await send(method.toLowerCase(), req, req.headers ?? world.headers[who]);
        const actual = outcomeOf(res);
        if (!matches(expected[who], actual, res.status)) mismatches.push(`${label} · ${who}: expected ${expected[who]}, got ${actual}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  function send(method: string, req: RouteRequest, headers: Record<string, string>): Promise<request.Response> {
    const call = (request(gw.http) as unknown as Record<string, (path: string) => request.Test>)[method](req.path)
      .set(headers)
      .set('Idempotency-Key', `matrix-${Math.random()}`)
      .query(req.query ?? {});
    return req.body === undefined ? call : call.send(req.body as object);
  }
});
