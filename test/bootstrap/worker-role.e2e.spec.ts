import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

/** A `ROLE=worker` process: health and metrics over HTTP, nothing else, and no API document built or served. */
describe('ROLE=worker over HTTP', () => {
  let gw: GatewayTestApp;

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { ROLE: 'worker' } });
  }, 60_000);
  afterAll(() => gw?.close());

  it('answers health', async () => {
    await request(gw.http).get('/health/live').expect(200);
  });

  it.each(['/v1/no-such-route', '/docs', '/docs/openapi.json', '/'])('refuses %s with a 404 problem', async (path) => {
    const res = await request(gw.http).get(path).expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('request.not_found');
  });
});
