import request from 'supertest';
import { MetricsListener } from '@gateway/metrics/metrics-listener';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';
const problem = (res: request.Response) => ({ status: res.status, code: JSON.parse(res.text || '{}').code, type: String(res.headers['content-type']).split(';')[0] });

/** Metrics describe every tenant's traffic: open only where nothing else is configured (development, the demo). */
describe('/metrics access', () => {
  describe('with neither METRICS_PORT nor METRICS_TOKEN (development, the embedded demo)', () => {
    let gw: GatewayTestApp;
    beforeAll(async () => (gw = await createGatewayApp()), 60_000);
    afterAll(() => gw?.close());

    it('serves /metrics on the API port to anyone, as documented', async () => {
      const res = await request(gw.http).get('/metrics').expect(200);
      expect(res.text).toContain('http_request_duration_seconds');
    });
  });

  describe('with METRICS_TOKEN', () => {
    let gw: GatewayTestApp;
    beforeAll(async () => (gw = await createGatewayApp({ env: { METRICS_TOKEN: TOKEN } })), 60_000);
    afterAll(() => gw?.close());

    it.each([
      ['no token', undefined],
      ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`],
      ['an API-key-shaped token', 'Bearer usi_test_abcd1234_AAAA'],
      ['the token without the scheme', TOKEN],
    ])('refuses %s with 401 problem+json', async (_, authorization) => {
      const r = request(gw.http).get('/metrics');
      const res = authorization ? await r.set('Authorization', authorization) : await r;
      expect(problem(res)).toEqual({ status: 401, code: 'auth.unauthenticated', type: 'application/problem+json' });
      expect(res.text).not.toContain('http_request_duration_seconds');
    });

    it('serves the scrape with the bearer token', async () => {
      const res = await request(gw.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(res.text).toContain('http_request_duration_seconds');
    });
  });

  describe('with METRICS_PORT', () => {
    let gw: GatewayTestApp;
    let metricsUrl: string;
    beforeAll(async () => {
      gw = await createGatewayApp({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN: TOKEN } });
      metricsUrl = gw.app.get(MetricsListener).url!;
    });
    afterAll(() => gw?.close());

    it('no longer serves /metrics on the API port', async () => {
      const res = await request(gw.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(problem(res)).toEqual({ status: 404, code: 'request.not_found', type: 'application/problem+json' });
    });

    it('serves it on its own listener, behind the token when one is set too', async () => {
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const open = await fetch(`${metricsUrl}/metrics`);
      expect(open.status).toBe(401);
      expect(open.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await open.json()) as { code: string }).code).toBe('auth.unauthenticated');
      const scrape = await fetch(`${metricsUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await scrape.text()).toContain('process_cpu_user_seconds_total');
    });

    it('serves nothing else there: no API on the metrics port', async () => {
      const res = await fetch(`${metricsUrl}/v1/vendor`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      const post = await fetch(`${metricsUrl}/metrics`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(post.status).toBe(405);
    });
  });
});
