import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';
import { describeWithShared, sharedFile } from '../../support/shared-fixtures';

const VALID = sharedFile('fixtures/keystore-3pt.xml');
const INGLETON = 'ABRD:11000002568_INGLETON153';

describeWithShared('POST /v1/credentials (HTTP, problem+json)', () => {
  let gw: GatewayTestApp;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    const a = await gw.newVendor({ abn: '11000002568' });
    const b = await gw.newVendor({ abn: '96312011219' });
    keyA = (await gw.newApiKey(a.id)).key;
    keyB = (await gw.newApiKey(b.id)).key;
  }, 60000);
  afterAll(() => gw?.close());

  const stored = async () => (await queryAs(gw.db.ownerUrl, 'SELECT id FROM m2m_credentials')).length;
  const multipart = (key: string, file: Buffer, password = 'Password1!') =>
    request(gw.http)
      .post('/v1/credentials')
      .set('Authorization', `Bearer ${key}`)
      .field('credentialId', INGLETON)
      .field('password', password)
      .attach('keystore', file, 'keystore.xml');

  it.each([
    ['wrong password', () => multipart(keyA, VALID, 'nope'), 422, 'credential.wrong_password'],
    ['10 MB file', () => multipart(keyA, Buffer.alloc(10 * 1024 * 1024, 0x41)), 400, 'credential.keystore_too_large'],
    ['non-XML file', () => multipart(keyA, Buffer.from('%PDF-1.7 not a keystore')), 400, 'credential.keystore_malformed'],
    ['ABN of another vendor', () => multipart(keyB, VALID), 422, 'credential.abn_mismatch'],
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
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const other = await request(gw.http).get(`/v1/credentials/${created.body.id}`).set('Authorization', `Bearer ${keyB}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('credential.not_found');
  });
});
