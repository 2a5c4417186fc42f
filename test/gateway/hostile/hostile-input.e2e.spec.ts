import fc from 'fast-check';
import request, { Response } from 'supertest';
import { API_SCOPES } from '@gateway/common/request-context/principal';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { HOSTILE_BODIES, HOSTILE_PARAMS, HOSTILE_QUERIES } from './hostile-inputs';

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

const PROBLEM_CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * Every route of the OpenAPI document, called with an authorised admin key and hostile bodies, queries and path
 * parameters: nothing may answer 5xx, every 4xx is problem+json with a stable code, and the process stays up.
 */
describe('hostile input on every documented route', () => {
  let env: UsiTestEnv;
  let routes: Route[];
  let auth: Record<string, string>;
  let valid: Record<string, string>;
  const failures: string[] = [];

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_ORG_PER_MINUTE: '1000000', RATE_LIMIT_VENDOR_PER_MINUTE: '1000000' });
    const vendor = await env.newVendor();
    const { organisation, authorisation } = await env.newOrganisation(vendor);
    auth = { authorization: `Bearer ${await env.newKey(vendor, [...API_SCOPES])}` };
    valid = { orgCode: organisation.orgCode, id: authorisation.id, usi: 'BNGH7C75FN', receipt: authorisation.id, requestId: 'req-1' };
    const doc = (await request(env.gw.http).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method as Route['method'], path })),
    );
  }, 60_000);
  afterAll(() => env?.close());
  beforeEach(() => failures.splice(0));

  /** Fills `{param}`s: the valid value unless `hostile` names the one to replace (already percent-encoded). */
  const urlOf = (route: Route, hostile?: { param: string; value: string }) =>
    route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      hostile?.param === name ? hostile.value : encodeURIComponent(valid[name] ?? valid.id),
    );

  const check = (what: string, res: Response) => {
    const problem = res.status >= 400;
    const contentType = String(res.headers['content-type'] ?? '');
    const code = problem ? (JSON.parse(res.text || '{}') as { code?: unknown }).code : undefined;
    if (res.status >= 500) failures.push(`${what} → ${res.status} ${res.text.slice(0, 200)}`);
    else if (problem && !contentType.startsWith('application/problem+json')) failures.push(`${what} → ${res.status} ${contentType}`);
    else if (problem && !PROBLEM_CODE.test(String(code))) failures.push(`${what} → ${res.status} code ${String(code)}`);
  };

  const send = (route: Route, url: string, body?: { contentType: string; raw: string | Buffer }) => {
    const r = request(env.gw.http)[route.method](url).set(auth).set('Idempotency-Key', `hostile-${Math.random()}`);
    return body ? r.set('content-type', body.contentType).send(body.raw) : r;
  };

  it('sends hostile bodies to every route', async () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      for (const [name, body] of Object.entries(HOSTILE_BODIES)) {
        check(`${route.method.toUpperCase()} ${route.path} body ${name}`, await send(route, urlOf(route), body));
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('sends hostile path parameters and query strings to every route', async () => {
    for (const route of routes) {
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const param of params) {
        for (const [name, value] of Object.entries(HOSTILE_PARAMS)) {
          check(`${route.method.toUpperCase()} ${route.path} ${param}=${name}`, await send(route, urlOf(route, { param, value })));
        }
      }
      for (const [name, query] of Object.entries(HOSTILE_QUERIES)) {
        check(`${route.method.toUpperCase()} ${route.path} query ${name}`, await send(route, `${urlOf(route)}?${query}`));
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('sends arbitrary JSON values (fast-check) to every route with a body', async () => {
    const withBody = routes.filter((r) => r.method !== 'get');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withBody), fc.jsonValue({ maxDepth: 4 }), async (route, value) => {
        const res = await send(route, urlOf(route), { contentType: 'application/json', raw: JSON.stringify(value) ?? 'null' });
        check(`${route.method.toUpperCase()} ${route.path} json ${JSON.stringify(value).slice(0, 80)}`, res);
        return res.status < 500;
      }),
      { numRuns: 150 },
    );
    expect(failures).toEqual([]);
  }, 300_000);

  it('is still healthy and serving afterwards', async () => {
    await request(env.gw.http).get('/health/live').expect(200);
    await request(env.gw.http).get('/v1/organisations').set(auth).expect(200);
  });
});
