import { AsyncResource } from 'node:async_hooks';
import { IncomingMessage, Server } from 'node:http';
import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

describe('health, request id and problem+json basics', () => {
  let gw: GatewayTestApp;
  beforeAll(async () => {
    gw = await createGatewayApp();
  });
  afterAll(() => gw?.close());

  it('answers live and ready (database as the app role, no Redis configured)', async () => {
    await request(gw.http).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(gw.http).get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, queue: { status: 'up', backend: 'database' }, upstreamClock: { status: 'up', offsetSeconds: null } },
    });
  });

  it('serves requests built on Express prototypes from the start (GatewayExpressAdapter)', async () => {
    const server = gw.http as Server;
    const seen: IncomingMessage[] = [];
    const spy = (req: IncomingMessage) => void seen.push(req);
    server.prependListener('request', spy);
    try {
      await request(server).get('/health/live').expect(200);
    } finally {
      server.removeListener('request', spy);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0].constructor.name).toBe('ExpressRequest');
    expect(typeof (seen[0] as IncomingMessage & { get?: unknown }).get).toBe('function');
  });

  it('runs no Nest interceptor on an API request: with any global one, Nest binds each call with AsyncResource.bind', async () => {
    // Node builds that binding's deprecation wrappers with Object.setPrototypeOf, which keeps the whole request alive
    // until a full GC (test/gateway/perf/request-retention.e2e.spec.ts measures that).
    const vendor = await gw.newVendor();
    const { key } = await gw.newApiKey(vendor.id, { scopes: ['admin'] });
    const bind = jest.spyOn(AsyncResource, 'bind');
    let binds: number;
    try {
      await request(gw.http).get('/v1/organisations').set('Authorization', `Bearer ${key}`).expect(200);
      binds = bind.mock.calls.length;
    } finally {
      bind.mockRestore();
    }
    expect(binds).toBe(0);
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    const ok = await request(gw.http).get('/health/live').set('X-Request-Id', 'abc.DEF_1:2-3');
    expect(ok.headers['x-request-id']).toBe('abc.DEF_1:2-3');
    const bad = await request(gw.http).get('/health/live').set('X-Request-Id', 'evil id<script>');
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const long = await request(gw.http).get('/health/live').set('X-Request-Id', 'a'.repeat(129));
    expect(long.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps an unknown route to problem+json request.not_found with the request id', async () => {
    const res = await request(gw.http).get('/nope').set('X-Request-Id', 'req-404');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://usi-gateway.dev/problems/request.not_found',
      status: 404,
      code: 'request.not_found',
      requestId: 'req-404',
    });
    expect(res.headers['x-request-id']).toBe('req-404');
  });

  it('serves Prometheus metrics with the route template as label', async () => {
    await request(gw.http).get('/health/ready').expect(200);
    const res = await request(gw.http).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/ready",status="200"\} \d+/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(gw.http).get('/docs/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health/ready', '/metrics']));
  });
});
