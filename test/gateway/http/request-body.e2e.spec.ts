import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';

interface Answer {
  status: number;
  code?: string;
  type: string;
}

const problem = (res: request.Response): Answer => ({ status: res.status, code: res.body.code, type: String(res.headers['content-type']).split(';')[0] });

/**
 * How the gateway reads a request body before any route sees it: content encodings and media types are checked at the
 * body-parser level, for every route (authenticated or not), and refused with stable problem codes.
 */
describe('request bodies: content encoding and media type', () => {
  let gw: GatewayTestApp;
  let auth: { Authorization: string };
  let baseUrl: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    const vendor = await gw.newVendor();
    auth = { Authorization: `Bearer ${(await gw.newApiKey(vendor.id)).key}` };
    await gw.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(gw.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => gw?.close());

  const login = () => request(gw.http).post('/v1/auth/login');

  /** The bytes as given (supertest re-serialises a Buffer sent as JSON). */
  const post = async (path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> => {
    const res = await fetch(baseUrl + path, { method: 'POST', headers, body: new Uint8Array(body) });
    const text = await res.text();
    return { status: res.status, code: (JSON.parse(text || '{}') as { code?: string }).code, type: String(res.headers.get('content-type')).split(';')[0] };
  };

  describe('Content-Encoding', () => {
    it.each([
      ['gzip', Buffer.from('this is not gzip at all')],
      ['deflate', Buffer.from('nor deflate')],
      ['br', Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x01])],
      ['gzip', gzipSync(Buffer.from('{"email":"a@b.c","password":"x"}')).subarray(0, 12)],
    ])('answers a %s body that does not decode with 400 request.bad_encoding, before authentication', async (encoding, raw) => {
      const headers = { 'Content-Type': 'application/json', 'Content-Encoding': encoding };
      const res = await post('/v1/auth/login', headers, raw);
      expect(res).toEqual({ status: 400, code: 'request.bad_encoding', type: 'application/problem+json' });
      const authed = await post('/v1/organisations', { ...headers, ...auth }, raw);
      expect(authed).toEqual({ status: 400, code: 'request.bad_encoding', type: 'application/problem+json' });
    });

    it('answers an encoding it does not support with 415 request.unsupported_encoding', async () => {
      const res = await post('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, Buffer.from('xx'));
      expect(res).toEqual({ status: 415, code: 'request.unsupported_encoding', type: 'application/problem+json' });
    });

    it('still reads a well-formed gzip JSON body', async () => {
      const body = gzipSync(Buffer.from(JSON.stringify({ email: 'nobody@example.test', password: 'x' })));
      const res = await post('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body);
      expect(res).toEqual({ status: 401, code: 'auth.invalid_credentials', type: 'application/problem+json' });
    });

    it('keeps serving after a body that decodes to garbage', async () => {
      await post('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, Buffer.from('junk'));
      await request(gw.http).get('/v1/vendor').set(auth).expect(200);
    });
  });

  describe('Content-Type', () => {
    it.each([
      ['text/plain', '{"email":"a@b.c","password":"x"}'],
      ['application/x-www-form-urlencoded', 'email=a%40b.c&password=x'],
      ['application/xml', '<login/>'],
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c\r\n--zz--\r\n'],
    ])('answers %s on a JSON route with 415 request.unsupported_media_type, unauthenticated too', async (type, raw) => {
      expect(problem(await login().set('Content-Type', type).send(raw))).toEqual({
        status: 415,
        code: 'request.unsupported_media_type',
        type: 'application/problem+json',
      });
      const authed = await request(gw.http).post('/v1/organisations').set(auth).set('Content-Type', type).send(raw);
      expect(problem(authed)).toEqual({ status: 415, code: 'request.unsupported_media_type', type: 'application/problem+json' });
    });

    it('answers a body without a Content-Type with 415', async () => {
      const res = await post('/v1/organisations', auth, Buffer.from('{"a":1}'));
      expect(res).toEqual({ status: 415, code: 'request.unsupported_media_type', type: 'application/problem+json' });
    });

    it('accepts application/json with parameters and +json types, and bodiless POSTs that name no type', async () => {
      const json = await login().set('Content-Type', 'application/json; charset=utf-8').send('{"email":"nobody@example.test","password":"x"}');
      expect(json.status).toBe(401);
      const plusJson = await login().set('Content-Type', 'application/merge-patch+json').send('{"email":"nobody@example.test","password":"x"}');
      expect(plusJson.status).toBe(401);
      const bare = await request(gw.http).post('/v1/auth/logout');
      expect(bare.status).toBe(204);
      // An empty HTML form still names its type: a cross-site form post is refused even with nothing in it.
      const emptyForm = await request(gw.http).post('/v1/auth/logout').set('Content-Type', 'application/x-www-form-urlencoded').send('');
      expect(emptyForm.status).toBe(415);
    });

    it('lets the keystore upload, which documents multipart/form-data, take a multipart form', async () => {
      const res = await request(gw.http)
        .post('/v1/credentials')
        .set(auth)
        .field('credentialId', 'ABRD:x')
        .field('password', 'pw')
        .attach('keystore', Buffer.from('<not-a-keystore/>'), 'keystore.xml');
      expect(res.status).toBe(400);
      expect(res.body.code).toMatch(/^credential\./);
    });

    it('refuses a compressed multipart form, which nothing in front of the route can inflate', async () => {
      const form = '--zz\r\nContent-Disposition: form-data; name="password"\r\n\r\npw\r\n--zz--\r\n';
      const res = await post('/v1/credentials', { ...auth, 'Content-Type': 'multipart/form-data; boundary=zz', 'Content-Encoding': 'gzip' }, gzipSync(form));
      expect(res).toEqual({ status: 415, code: 'request.unsupported_encoding', type: 'application/problem+json' });
    });

    it('documents the body problems on every operation that takes a body', async () => {
      const doc = (await request(gw.http).get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: Record<string, { examples?: object }> }> }>>;
      };
      const withBody = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.requestBody);
      expect(withBody.length).toBeGreaterThan(10);
      for (const op of withBody) {
        const codes = (status: string) => Object.keys(op.responses[status]?.content?.['application/problem+json']?.examples ?? {});
        expect(codes('415')).toEqual(expect.arrayContaining(['request.unsupported_media_type', 'request.unsupported_encoding']));
        expect(codes('400')).toEqual(expect.arrayContaining(['request.malformed_json', 'request.bad_encoding']));
      }
    });

    it('refuses text/plain on the keystore upload, which documents only multipart and JSON', async () => {
      const res = await request(gw.http).post('/v1/credentials').set(auth).set('Content-Type', 'text/plain').send('keystore');
      expect(problem(res)).toEqual({ status: 415, code: 'request.unsupported_media_type', type: 'application/problem+json' });
    });
  });
});
