import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';

/** Every API answer may carry a secret (a new API key, a session) or personal data (verify and locate results). */
describe('Cache-Control on API responses', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
    // Holds what it grants: a key may not mint one with scopes it lacks.
    auth = { Authorization: `Bearer ${(await gw.newApiKey(vendorId, { scopes: ['admin', 'usi:verify'] })).key}` };
  });
  afterAll(() => gw?.close());

  it('marks a created API key (the only time the secret is shown) no-store', async () => {
    const res = await request(gw.http).post('/v1/api-keys').set(auth).send({ name: 'ci', scopes: ['usi:verify'] }).expect(201);
    expect(res.body.key).toBeDefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('marks a login (session cookie) and the session principal no-store', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const login = await request(gw.http).post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const me = await request(gw.http).get('/v1/auth/me').set('Cookie', cookie).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a listing', (r: request.Agent) => r.get('/v1/organisations')],
    ['an error', (r: request.Agent) => r.get('/v1/organisations/NOPE')],
    ['a 404 route', (r: request.Agent) => r.get('/v1/no-such-route')],
    ['a body refused before routing', (r: request.Agent) => r.post('/v1/organisations').set('Content-Type', 'text/plain').send('x')],
  ])('marks %s no-store', async (_, call) => {
    const res = await call(request.agent(gw.http).set(auth));
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('marks unauthenticated answers and health probes no-store, and leaves the API docs cacheable', async () => {
    expect((await request(gw.http).get('/v1/vendor')).headers['cache-control']).toBe('no-store');
    expect((await request(gw.http).get('/health/live')).headers['cache-control']).toBe('no-store');
    expect((await request(gw.http).get('/docs/openapi.json')).headers['cache-control']).not.toBe('no-store');
  });
});
