import request from 'supertest';
import { GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';
import { PUBLIC_KEYSTORE_PATH, publicKeystore } from '../../support/public-keystores';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

const VALID = publicKeystore();
const INGLETON = 'ABRD:11000002568_INGLETON153';

describe('POST /v1/credentials (HTTP, problem+json)', () => {
  let env: UsiTestEnv;
  let gw: GatewayTestApp;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    // The simulator trusts the public 3PT chain, so an upload of it passes its token check.
    env = await createUsiTestEnv({}, { trustKeystores: [PUBLIC_KEYSTORE_PATH], population: 20 });
    gw = env.gw;
    const a = await gw.newVendor({ abn: '11000002568' });
    const b = await gw.newVendor({ abn: '96312011219' });
    keyA = (await gw.newApiKey(a.id)).key;
    keyB = (await gw.newApiKey(b.id)).key;
  }, 60000);
  afterAll(() => env?.close());

  const stored = async () => (await queryAs(gw.db.ownerUrl, 'SELECT id FROM m2m_credentials')).length;
  const multipart = (key: string, file: Buffer, password = 'Password1!') =>
    request(gw.http)
      .post('/v1/credentials')
      .set('Authorization', `Bearer ${key}`)
      .field('credentialId', INGLETON)
      .field('password', password)
      .attach('keystore', file, 'keystore.xml');

  const json = (key: string, body: object) =>
    request(gw.http)
      .post('/v1/credentials')
      .set('Authorization', `Bearer ${key}`)
      .send({ credentialId: INGLETON, password: 'Password1!', ...body });
  const list = (key: string) => request(gw.http).get('/v1/credentials').set('Authorization', `Bearer ${key}`);

  it.each([
    ['wrong password', () => multipart(keyA, VALID, 'nope'), 422, 'credential.wrong_password'],
    ['10 MB file', () => multipart(keyA, Buffer.alloc(10 * 1024 * 1024, 0x41)), 400, 'credential.keystore_too_large'],
    ['non-XML file', () => multipart(keyA, Buffer.from('%PDF-1.7 not a keystore')), 400, 'credential.keystore_malformed'],
    ['ABN of another vendor', () => multipart(keyB, VALID), 422, 'credential.abn_mismatch'],
    ['10 MB JSON keystoreXml', () => json(keyA, { keystoreXml: 'A'.repeat(10 * 1024 * 1024) }), 400, 'credential.keystore_too_large'],
    ['forged list cursor', () => list(keyA).query({ cursor: 'forged' }), 400, 'request.invalid_cursor'],
  ])('rejects a %s with problem+json and stores nothing', async (_name, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toContain('Password1!');
    expect(await stored()).toBe(0);
  });

  it('uploads as JSON, lists and hides it from another vendor', async () => {
    const created = await request(gw.http)
      .post('/v1/credentials')
      .set('Authorization', `Bearer ${keyA}`)
      .send({ keystoreXml: VALID.toString('utf8'), credentialId: INGLETON, password: 'Password1!' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'active', abn: '11000002568' });
    const listed = await request(gw.http).get('/v1/credentials').set('Authorization', `Bearer ${keyA}`).expect(200);
    expect(listed.body).toEqual({ items: [expect.objectContaining({ id: created.body.id })], nextCursor: null });
    const other = await request(gw.http).get(`/v1/credentials/${created.body.id}`).set('Authorization', `Bearer ${keyB}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('credential.not_found');
  });

  it('keeps the ordinary 413 for oversized JSON on other routes', async () => {
    const res = await request(gw.http)
      .post('/v1/organisations')
      .set('Authorization', `Bearer ${keyA}`)
      .send({ legalName: 'A'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('request.payload_too_large');
  });

  it('documents every credentials route with examples and its problem codes', async () => {
    const { body } = await request(gw.http).get('/docs/openapi.json').expect(200);
    const upload = body.paths['/v1/credentials'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(expect.arrayContaining(['multipart/form-data', 'application/json']));
    expect(upload.summary).toEqual(expect.any(String));
    expect(upload.responses['201'].content['application/json'].examples).toMatchObject({
      active: { value: { status: 'active' } },
      pending: { value: { status: 'pending', lastCheck: { ok: false } } },
    });
    expect(Object.keys(upload.responses['400'].content['application/problem+json'].examples)).toEqual(
      expect.arrayContaining(['credential.keystore_too_large', 'credential.keystore_malformed', 'request.validation']),
    );
    expect(Object.keys(upload.responses['422'].content['application/problem+json'].examples)).toEqual(
      expect.arrayContaining(['credential.wrong_password', 'credential.expired', 'credential.abn_mismatch']),
    );
    const routes = [
      body.paths['/v1/credentials'].get,
      body.paths['/v1/credentials/{id}'].get,
      body.paths['/v1/credentials/{id}/revoke'].post,
      body.paths['/v1/credentials/{id}/activate'].post,
      body.paths['/v1/credentials/{id}/check'].post,
      body.paths['/v1/credentials/{id}/renewal'].get,
      body.paths['/v1/organisations/{orgCode}/credentials'].get,
    ];
    for (const route of routes) {
      expect(route.summary).toEqual(expect.any(String));
      expect(route.responses['200'].content['application/json']).toBeDefined();
      expect(route.responses['401']).toBeDefined();
    }
    expect(routes[1].responses['404'].description).toContain('credential.not_found');
    expect(Object.keys(routes[2].responses['409'].content['application/problem+json'].examples)).toEqual(
      expect.arrayContaining(['credential.fallback_available', 'credential.confirmation_required']),
    );
    expect(Object.keys(body.paths['/v1/credentials/{id}'].delete.responses['409'].content['application/problem+json'].examples)).toEqual([
      'credential.not_pending',
    ]);
    const orgUpload = body.paths['/v1/organisations/{orgCode}/credentials'].post;
    expect(Object.keys(orgUpload.responses['422'].content['application/problem+json'].examples)).toContain('credential.abn_mismatch');
    expect(Object.keys(orgUpload.responses['404'].content['application/problem+json'].examples)).toContain('organisation.not_found');
  });
});
