import request from 'supertest';
import { operationsOf, requestExamples, successStatusOf } from '../../support/openapi-examples';
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

  it("sends every USI route's documented request example to the simulator and gets the documented success", async () => {
    const doc = (await request(env.gw.http).get('/docs/openapi.json').expect(200)).body;
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    const usiOps = operationsOf(doc).filter((op) => ROUTES.some(([method, path]) => method === op.method && path === op.path));
    // The bulk upload first: its receipt is the path of the retrieval.
    usiOps.sort((a, b) => Number(b.path.endsWith('/bulk-uploads')) - Number(a.path.endsWith('/bulk-uploads')));
    const answers: Record<string, unknown> = {};
    let receipt = '';
    for (const op of usiOps) {
      const url = op.path.replace('{orgCode}', organisation.orgCode).replace('{usi}', 'BNGH7C75FN').replace('{receipt}', receipt);
      const bodies = op.method === 'get' ? [undefined] : requestExamples(op).length ? requestExamples(op) : [undefined];
      for (const body of bodies) {
        let call = request(env.gw.http)[op.method as 'post'](url).set('Authorization', `Bearer ${key}`);
        if (op.parameters?.some((p) => p.name === 'Idempotency-Key')) call = call.set('Idempotency-Key', `example-${op.method}-${op.path}`);
        let res = await (body === undefined ? call : call.send(body as object));
        // The simulator processes a bulk upload in about 2 s; until then the Registry says so (422).
        for (let tries = 0; op.path.endsWith('{receipt}') && res.status === 422 && tries < 20; tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          res = await request(env.gw.http).get(url).set('Authorization', `Bearer ${key}`);
        }
        answers[`${op.method} ${op.path}`] = res.status === successStatusOf(op) ? 'ok' : { status: res.status, body: res.body };
        if (op.path.endsWith('/bulk-uploads')) receipt = String(res.body.receiptNumber);
      }
    }
    expect(Object.keys(answers).sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    expect(Object.values(answers).filter((a) => a !== 'ok')).toEqual([]);
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
