import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

/** The web foundation over HTTP (no browser): headers, redirects, CSRF on forms, and the JSON API left as it was. */
describe('web pages', () => {
  let gw: GatewayTestApp;

  beforeAll(async () => {
    gw = await createGatewayApp();
  }, 60_000);
  afterAll(() => gw?.close());

  it('serves the landing page as HTML with a strict CSP and no framing', async () => {
    const res = await request(gw.http).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('href="/login"');
    expect(res.text).toContain('href="/signup"');
    expect(res.text).toContain('href="/docs"');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves the stylesheet from the app', async () => {
    const res = await request(gw.http).get('/assets/site.css').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.text).toContain(':focus-visible');
  });

  it('leaves the JSON API and /docs without the pages’ CSP', async () => {
    const docs = await request(gw.http).get('/docs').redirects(1);
    expect(docs.headers['content-security-policy']).toBeUndefined();
    const api = await request(gw.http).get('/v1/auth/me').expect(401);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
  });
});
