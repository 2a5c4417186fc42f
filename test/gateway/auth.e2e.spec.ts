import request from 'supertest';
import { randomAbn } from '../support/abn';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { ApiKeyUsageRecorder } from '@gateway/auth/api-keys/api-key-usage.recorder';
import { queryAs } from '../support/test-database';

const code = (res: request.Response) => ({ status: res.status, code: res.body.code });

describe('authentication and authorisation', () => {
  let gw: GatewayTestApp;
  let vendorId: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
  });
  afterAll(() => gw?.close());

  describe('API keys', () => {
    it('requires credentials on every non-public route', async () => {
      expect(code(await request(gw.http).get('/v1/organisations'))).toEqual({ status: 401, code: 'auth.unauthenticated' });
    });

    it.each([
      ['garbage', 'Bearer nope'],
      ['unknown well-formed', `Bearer usi_test_abcd1234_${'A'.repeat(43)}`],
      ['empty bearer', 'Bearer '],
    ])('refuses a %s key with auth.invalid_api_key', async (_, header) => {
      expect(code(await request(gw.http).get('/v1/vendor').set('Authorization', header))).toEqual({
        status: 401,
        code: 'auth.invalid_api_key',
      });
    });

    it('refuses an expired key and accepts the X-API-Key header', async () => {
      const expired = await gw.newApiKey(vendorId, { expiresAt: new Date(Date.now() - 1000) });
      expect(code(await request(gw.http).get('/v1/vendor').set('X-API-Key', expired.key))).toEqual({
        status: 401,
        code: 'auth.invalid_api_key',
      });
      const live = await gw.newApiKey(vendorId);
      await request(gw.http).get('/v1/vendor').set('X-API-Key', live.key).expect(200);
    });

    it('answers 403 auth.forbidden_scope without the admin scope', async () => {
      const key = await gw.newApiKey(vendorId, { scopes: ['usi:verify', 'bulk'] });
      expect(code(await request(gw.http).get('/v1/organisations').set('X-API-Key', key.key))).toEqual({
        status: 403,
        code: 'auth.forbidden_scope',
      });
    });

    it('records last use at most once a minute (written off the request path)', async () => {
      const key = await gw.newApiKey(vendorId);
      const usage = gw.app.get(ApiKeyUsageRecorder, { strict: false });
      await request(gw.http).get('/v1/vendor').set('X-API-Key', key.key).expect(200);
      await usage.flush();
      const [first] = await queryAs<{ last_used_at: Date }>(gw.db.ownerUrl, 'select last_used_at from api_keys where id = $1', [key.id]);
      expect(first.last_used_at).toBeInstanceOf(Date);
      await request(gw.http).get('/v1/vendor').set('X-API-Key', key.key).expect(200);
      await usage.flush();
      const [second] = await queryAs<{ last_used_at: Date }>(gw.db.ownerUrl, 'select last_used_at from api_keys where id = $1', [key.id]);
      expect(second.last_used_at.getTime()).toBe(first.last_used_at.getTime());
    });

    it('limits a restricted admin key to its organisations', async () => {
      const allowed = await gw.newOrganisation(vendorId);
      const hidden = await gw.newOrganisation(vendorId);
      const key = await gw.newApiKey(vendorId, { organisationIds: [allowed.id] });
      const list = await request(gw.http).get('/v1/organisations').set('X-API-Key', key.key).expect(200);
      expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([allowed.id]);
      expect(code(await request(gw.http).get(`/v1/organisations/${hidden.orgCode}`).set('X-API-Key', key.key))).toEqual({
        status: 404,
        code: 'organisation.not_found',
      });
    });
  });

  describe('sessions', () => {
    it('logs in with an httpOnly SameSite=Lax cookie, serves the API, and logs out', async () => {
      const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
      const res = await request(gw.http).post('/v1/auth/login').send({ email: user.email.toUpperCase(), password: user.password }).expect(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/usi_session=[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      expect(JSON.stringify(res.body)).not.toContain('password');
      const session = cookie.split(';')[0];
      const token = session.split('=')[1];
      const stored = await queryAs(gw.db.ownerUrl, `select string_agg(s::text, '') as dump from sessions s`);
      expect(JSON.stringify(stored)).not.toContain(token);
      await request(gw.http).get('/v1/organisations').set('Cookie', session).expect(200);
      const me = await request(gw.http).get('/v1/auth/me').set('Cookie', session).expect(200);
      expect(me.body).toMatchObject({ kind: 'user', vendorId, roles: ['vendor_admin'] });
      await request(gw.http).post('/v1/auth/logout').set('Cookie', session).set('X-CSRF-Token', res.body.csrfToken).expect(204);
      expect(code(await request(gw.http).get('/v1/organisations').set('Cookie', session))).toEqual({
        status: 401,
        code: 'auth.unauthenticated',
      });
    });

    it('keeps provider users out of the vendor management API', async () => {
      const user = await gw.newUser({ vendorId, roles: ['provider_admin'] });
      const session = await gw.login(user.email, user.password);
      expect(code(await request(gw.http).get('/v1/api-keys').set('Cookie', session))).toEqual({
        status: 403,
        code: 'auth.forbidden_scope',
      });
    });

    it('throttles after 5 failures per email and address, with Retry-After, even for the right password', async () => {
      const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
      for (let i = 0; i < 5; i++) {
        const res = await request(gw.http).post('/v1/auth/login').send({ email: user.email, password: 'wrong' });
        expect(code(res)).toEqual({ status: 401, code: 'auth.invalid_credentials' });
      }
      const locked = await request(gw.http).post('/v1/auth/login').send({ email: user.email, password: user.password });
      expect(code(locked)).toEqual({ status: 429, code: 'auth.too_many_attempts' });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      const [row] = await queryAs<{ n: number }>(gw.db.ownerUrl, 'select count(*)::int as n from login_attempts where locked_until > now()');
      expect(row.n).toBeGreaterThanOrEqual(1);
    });

    it('answers an unknown email like a wrong password', async () => {
      const res = await request(gw.http).post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'x' });
      expect(code(res)).toEqual({ status: 401, code: 'auth.invalid_credentials' });
      expect(code(await request(gw.http).post('/v1/auth/login').send({ email: 'x' }))).toEqual({
        status: 400,
        code: 'request.validation',
      });
    });
  });

  describe('platform administration', () => {
    it('lets a platform admin create a vendor with a checksum-valid ABN only', async () => {
      const admin = await gw.newUser({ vendorId: null, roles: ['platform_admin'] });
      const session = await gw.session(admin.email, admin.password);
      const abn = randomAbn();
      const created = await request(gw.http).post('/v1/platform/vendors').set(session).send({ name: 'New SMS', abn }).expect(201);
      expect(created.body).toMatchObject({ name: 'New SMS', abn, status: 'active' });
      const bad = await request(gw.http).post('/v1/platform/vendors').set(session).send({ name: 'Bad', abn: '11000002569' });
      expect(code(bad)).toEqual({ status: 400, code: 'request.validation' });
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'abn' })]);
      expect(code(await request(gw.http).get('/v1/vendor').set(session))).toEqual({
        status: 403,
        code: 'auth.forbidden_scope',
      });
    });

    it('refuses vendor admins and API keys', async () => {
      const key = await gw.newApiKey(vendorId);
      const res = await request(gw.http).post('/v1/platform/vendors').set('X-API-Key', key.key).send({ name: 'x', abn: randomAbn() });
      expect(code(res)).toEqual({ status: 403, code: 'auth.forbidden_scope' });
    });
  });
});
