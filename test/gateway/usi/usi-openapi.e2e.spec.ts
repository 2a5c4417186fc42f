import request from 'supertest';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { APPLICATION, usiRoutes } from './support/usi-requests';

const ROUTES: [string, string][] = [
  ['post', '/v1/organisations/{orgCode}/usi/verify'],
  ['post', '/v1/organisations/{orgCode}/usi/verify/batch'],
  ['post', '/v1/organisations/{orgCode}/usis'],
  ['post', '/v1/organisations/{orgCode}/usis/locate'],
  ['put', '/v1/organisations/{orgCode}/usis/{usi}/personal-details'],
  ['put', '/v1/organisations/{orgCode}/usis/{usi}/contact-details'],
  ['post', '/v1/organisations/{orgCode}/bulk-uploads'],
  ['get', '/v1/organisations/{orgCode}/bulk-uploads/{receipt}'],
  ['get', '/v1/organisations/{orgCode}/reference/countries'],
  ['get', '/v1/organisations/{orgCode}/reference/document-types'],
  ['post', '/v1/organisations/{orgCode}/connection-test'],
];

describe('USI routes: OpenAPI and idempotent writes', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    env = await createUsiTestEnv();
  }, 60_000);
  afterAll(() => env?.close());

  it('documents every route with a response example and its problem codes', async () => {
    const doc = (await request(env.gw.http).get('/docs/openapi.json').expect(200)).body;
    for (const [method, path] of ROUTES) {
      const op = doc.paths[path]?.[method];
      expect({ path, documented: Boolean(op) }).toEqual({ path, documented: true });
      const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1] as { content?: object };
      expect(JSON.stringify(ok?.content)).toContain('example');
      const problems = JSON.stringify(op.responses);
      for (const code of ['authorisation.not_active', 'upstream.timeout', 'sts.notification_missing', 'usi.organisation_not_authorised']) {
        expect(problems).toContain(code);
      }
      if (method !== 'get') expect(JSON.stringify(op.requestBody ?? {})).toMatch(/example|^\{\}$/);
    }
  });

  it('20 concurrent identical creates make one upstream CreateUSI and agree on the answer', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    await routes.verify().expect(200);
    env.counted();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => routes.post('/usis', APPLICATION).set('Idempotency-Key', 'concurrent-create-1')),
    );
    const succeeded = responses.filter((r) => r.status === 201);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const r of succeeded) expect(r.body).toEqual(succeeded[0].body);
    expect(env.counted().usi).toEqual({ CreateUSI: 1 });
  });
});
