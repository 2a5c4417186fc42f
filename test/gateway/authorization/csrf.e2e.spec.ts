import request from 'supertest';
import { createGatewayApp, GatewayTestApp, SessionHeaders } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

const EVIL = 'http://evil.example';

function expectProblem(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/** Issue 13 §4: session-cookie writes need a CSRF token or a same-origin browser; the JSON API takes JSON only. */
describe('cross-site request defences', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let session: SessionHeaders;
  let apiKey: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
    const admin = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    session = await gw.session(admin.email, admin.password);
    apiKey = (await gw.newApiKey(vendorId, { scopes: ['admin', 'usi:verify'] })).key;
  });
  afterAll(() => gw?.close());

  const keyCount = async () => (await queryAs<{ n: number }>(gw.db.ownerUrl, `select count(*)::int as n from api_keys where vendor_id = $1`, [vendorId]))[0].n;
  const orgCount = async () => (await queryAs<{ n: number }>(gw.db.ownerUrl, `select count(*)::int as n from organisations where vendor_id = $1`, [vendorId]))[0].n;
  const cookieOnly = () => ({ Cookie: session.Cookie });
  const newOrg = () => ({ orgCode: `C${Math.random().toString(36).slice(2, 10).toUpperCase()}`, abn: '51824753556', legalName: 'X', kind: 'RTO' });

  describe('415 request.unsupported_media_type for bodies that are not JSON', () => {
    it('refuses the reported attack: a form post with the admin cookie from evil.example creates neither key nor organisation', async () => {
      const [keys, orgs] = [await keyCount(), await orgCount()];
      const key = await request(gw.http).post('/v1/api-keys').set(cookieOnly()).set('Origin', EVIL).type('form').send('name=pwned&scopes=admin');
      expectProblem(key, 415, 'request.unsupported_media_type');
      const org = await request(gw.http).post('/v1/organisations').set(cookieOnly()).set('Origin', EVIL).type('form')
        .send('orgCode=EVIL1&abn=51824753556&legalName=Evil&kind=RTO');
      expectProblem(org, 415, 'request.unsupported_media_type');
      expect([await keyCount(), await orgCount()]).toEqual([keys, orgs]);
    });

    it.each([
      ['form', 'application/x-www-form-urlencoded', 'name=x'],
      ['text', 'text/plain', '{"name":"x","scopes":["admin"]}'],
      ['multipart', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n'],
      ['empty form', 'application/x-www-form-urlencoded', ''],
    ])('refuses a %s body, from an API key too', async (_, type, body) => {
      const res = await request(gw.http).post('/v1/api-keys').set('Authorization', `Bearer ${apiKey}`).set('Content-Type', type).send(body);
      expectProblem(res, 415, 'request.unsupported_media_type');
      expect(res.body.accepted).toEqual(['application/json']);
    });

    it('refuses a form on public routes too (login)', async () => {
      expectProblem(await request(gw.http).post('/v1/auth/login').type('form').send('email=a@b.c&password=x'), 415, 'request.unsupported_media_type');
    });

    it('takes multipart where the route documents it (keystore upload) and JSON with a charset', async () => {
      const upload = await request(gw.http).post('/v1/credentials').set('Authorization', `Bearer ${apiKey}`)
        .field('credentialId', 'ABRD:1_x').field('password', 'p').attach('keystore', Buffer.from('<x/>'), 'keystore.xml');
      expect(upload.body.code).not.toBe('request.unsupported_media_type');
      expect(upload.status).toBeLessThan(500);
      await request(gw.http).post('/v1/organisations').set('Authorization', `Bearer ${apiKey}`)
        .set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(newOrg())).expect(201);
    });

    it('lets bodiless writes and reads through', async () => {
      const key = await gw.newApiKey(vendorId, { scopes: ['usi:verify'] });
      await request(gw.http).post(`/v1/api-keys/${key.id}/revoke`).set('Authorization', `Bearer ${apiKey}`).expect(200);
      await request(gw.http).get('/v1/organisations').set(cookieOnly()).set('Origin', EVIL).expect(200);
    });
  });

  describe('403 auth.csrf for cookie-authenticated JSON writes that are not provably same-origin', () => {
    it.each([
      ['no token and no browser headers', {}],
      ['Origin: evil.example', { Origin: EVIL }],
      ['Origin: null', { Origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'Sec-Fetch-Site': 'same-site' }],
      ['Sec-Fetch-Site cross-site with a matching Origin', { 'Sec-Fetch-Site': 'cross-site', Origin: 'http://gateway.example' }],
      ['a token of another session', 'other'],
      ['a wrong token', { 'X-CSRF-Token': 'x'.repeat(43) }],
    ])('%s', async (_, extra) => {
      const headers =
        extra === 'other'
          ? { 'X-CSRF-Token': (await otherSession())['X-CSRF-Token'] }
          : (extra as Record<string, string>);
      const orgs = await orgCount();
      const res = await request(gw.http).post('/v1/organisations').set(cookieOnly()).set('Host', 'gateway.example').set(headers).send(newOrg());
      expectProblem(res, 403, 'auth.csrf');
      for (const method of ['patch', 'delete'] as const) {
        expectProblem(await request(gw.http)[method]('/v1/organisations/NOPE').set(cookieOnly()).set(headers).send({}), 403, 'auth.csrf');
      }
      expect(await orgCount()).toBe(orgs);
    });

    async function otherSession(): Promise<SessionHeaders> {
      const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
      return gw.session(user.email, user.password);
    }
  });

  describe('what passes', () => {
    it('the token from login, sent as X-CSRF-Token; GET /v1/auth/csrf gives the same one', async () => {
      await request(gw.http).post('/v1/organisations').set(session).set('Origin', EVIL).send(newOrg()).expect(201);
      const { body } = await request(gw.http).get('/v1/auth/csrf').set(cookieOnly()).expect(200);
      expect(body).toEqual({ csrfToken: session['X-CSRF-Token'] });
    });

    it.each([
      ['Sec-Fetch-Site: same-origin', { 'Sec-Fetch-Site': 'same-origin' }],
      ['an Origin equal to the gateway’s own', { Origin: 'http://gateway.example' }],
    ])('a JSON write from the gateway’s own origin: %s', async (_, headers) => {
      await request(gw.http).post('/v1/organisations').set(cookieOnly()).set('Host', 'gateway.example').set(headers).send(newOrg()).expect(201);
    });

    it('API keys, whatever the browser headers say (a browser never sends them on its own)', async () => {
      await request(gw.http).post('/v1/organisations').set('Authorization', `Bearer ${apiKey}`)
        .set({ Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' }).send(newOrg()).expect(201);
    });

    it('reads with the cookie from anywhere (safe methods change nothing)', async () => {
      await request(gw.http).get('/v1/api-keys').set(cookieOnly()).set({ Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' }).expect(200);
    });

    it('GET /v1/auth/csrf is for sessions only', async () => {
      expectProblem(await request(gw.http).get('/v1/auth/csrf').set('Authorization', `Bearer ${apiKey}`), 403, 'auth.forbidden_scope');
      expectProblem(await request(gw.http).get('/v1/auth/csrf'), 401, 'auth.unauthenticated');
    });

    it('logout acts on the session: the same rule', async () => {
      const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
      const own = await gw.session(user.email, user.password);
      expectProblem(await request(gw.http).post('/v1/auth/logout').set({ Cookie: own.Cookie, Origin: EVIL }), 403, 'auth.csrf');
      await request(gw.http).get('/v1/auth/me').set({ Cookie: own.Cookie }).expect(200);
      await request(gw.http).post('/v1/auth/logout').set(own).expect(204);
      expectProblem(await request(gw.http).get('/v1/auth/me').set({ Cookie: own.Cookie }), 401, 'auth.unauthenticated');
    });
  });
});
