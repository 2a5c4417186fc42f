import request from 'supertest';
import { randomAbn } from '../support/abn';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';

function expectProblem(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(`https://usi-gateway.dev/problems/${code}`);
  expect(typeof res.body.requestId).toBe('string');
}

describe('management API', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
    // It creates keys with these scopes: a key never grants more than it holds.
    auth = { Authorization: `Bearer ${(await gw.newApiKey(vendorId, { scopes: ['admin', 'usi:verify', 'bulk'] })).key}` };
  });
  afterAll(() => gw?.close());

  describe('organisations', () => {
    it('creates, reads, patches and deletes, returning the stored state', async () => {
      const abn = randomAbn();
      const created = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .send({ orgCode: 'CRUD1', abn, legalName: 'Crud Training', kind: 'RTO', contactEmail: 'a@b.example' })
        .expect(201);
      expect(created.body).toMatchObject({ orgCode: 'CRUD1', abn, legalName: 'Crud Training', status: 'active' });
      await request(gw.http).get('/v1/organisations/crud1').set(auth).expect(200);
      const patched = await request(gw.http)
        .patch('/v1/organisations/CRUD1')
        .set(auth)
        .send({ status: 'suspended', contactPhone: '+61 2 9999 0000' })
        .expect(200);
      expect(patched.body).toMatchObject({ status: 'suspended', contactPhone: '+61 2 9999 0000', contactEmail: 'a@b.example' });
      await request(gw.http).delete('/v1/organisations/CRUD1').set(auth).expect(204);
      expectProblem(await request(gw.http).get('/v1/organisations/CRUD1').set(auth), 404, 'organisation.not_found');
    });

    it("rejects a duplicate of the vendor's own org code case-insensitively, saying nothing of other vendors", async () => {
      await gw.newOrganisation(vendorId, { orgCode: 'DUPE9' });
      const res = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .send({ orgCode: 'dupe9', abn: randomAbn(), legalName: 'X', kind: 'tac' });
      expectProblem(res, 409, 'organisation.org_code_taken');
      expect(res.body.detail).toBe('You have already registered organisation dupe9');
    });

    it('lets another vendor register the same org code (a provider may notify several cloud software services)', async () => {
      const other = await gw.newVendor();
      await gw.newOrganisation(other.id, { orgCode: 'SHARE7' });
      const abn = randomAbn();
      const created = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .send({ orgCode: 'share7', abn, legalName: 'Shared Provider', kind: 'RTO' })
        .expect(201);
      expect(created.body).toMatchObject({ orgCode: 'share7', abn });
      const own = await request(gw.http).get('/v1/organisations/SHARE7').set(auth).expect(200);
      expect(own.body.id).toBe(created.body.id);
      // The 409 for a second registration is the same whether or not another vendor holds the code.
      const again = await request(gw.http).post('/v1/organisations').set(auth).send({ orgCode: 'SHARE7', abn, legalName: 'X', kind: 'RTO' });
      const fresh = await request(gw.http).post('/v1/organisations').set(auth).send({ orgCode: 'DUPE9', abn, legalName: 'X', kind: 'RTO' });
      expectProblem(again, 409, 'organisation.org_code_taken');
      const { requestId: _a, detail: detailAgain, instance: _i1, ...restAgain } = again.body;
      const { requestId: _b, detail: detailFresh, instance: _i2, ...restFresh } = fresh.body;
      expect(restAgain).toEqual(restFresh);
      expect(detailAgain).toBe('You have already registered organisation SHARE7');
      expect(detailFresh).toBe('You have already registered organisation DUPE9');
    });

    it('reports every field error with request.validation', async () => {
      const res = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .send({ orgCode: 'bad code!', abn: '12345678901', kind: 'school', extra: 1 });
      expectProblem(res, 400, 'request.validation');
      const byPath = Object.fromEntries(res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]));
      expect(byPath).toEqual({
        orgCode: 'invalid_format',
        abn: 'custom',
        legalName: 'required',
        kind: 'invalid_value',
        extra: 'unknown_field',
      });
    });

    it('maps malformed JSON and oversize bodies to stable codes', async () => {
      const bad = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"orgCode": ');
      expectProblem(bad, 400, 'request.malformed_json');
      const huge = await request(gw.http)
        .post('/v1/organisations')
        .set(auth)
        .send({ legalName: 'x'.repeat(1_100_000) });
      expectProblem(huge, 413, 'request.payload_too_large');
    });

    it('paginates with an opaque cursor and rejects a forged one', async () => {
      const vendor = await gw.newVendor();
      const key = (await gw.newApiKey(vendor.id)).key;
      const made = [];
      for (let i = 0; i < 5; i++) made.push((await gw.newOrganisation(vendor.id)).orgCode);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await request(gw.http)
          .get('/v1/organisations')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set('X-API-Key', key)
          .expect(200);
        seen.push(...res.body.items.map((o: { orgCode: string }) => o.orgCode));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(made);
      expectProblem(
        await request(gw.http).get('/v1/organisations?cursor=Zm9yZ2Vk').set('X-API-Key', key),
        400,
        'request.invalid_cursor',
      );
      expectProblem(await request(gw.http).get('/v1/organisations?limit=0').set('X-API-Key', key), 400, 'request.validation');
    });
  });

  describe('authorisations', () => {
    const base = '/v1/organisations/AUTHZ1/authorisations';
    beforeAll(async () => {
      await gw.newOrganisation(vendorId, { orgCode: 'AUTHZ1' });
    });

    it('creates a pending authorisation with a random 10-digit software ID', async () => {
      const a = await request(gw.http).post(base).set(auth).send({ startDate: '2026-01-01' }).expect(201);
      const b = await request(gw.http).post(base).set(auth).send({ startDate: '2026-01-01', endDate: '2027-01-01' }).expect(201);
      expect(a.body).toMatchObject({ status: 'pending', startDate: '2026-01-01', endDate: null });
      expect(a.body.softwareId).toMatch(/^\d{10}$/);
      expect(b.body.softwareId).not.toBe(a.body.softwareId);
      const list = await request(gw.http).get(base).set(auth).expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id, b.body.id]);
    });

    it('activates, regenerates (back to pending with a new ID) and revokes', async () => {
      const { body: created } = await request(gw.http).post(base).set(auth).send({ startDate: '2026-02-01' }).expect(201);
      // Never tested: refused, unless forced with a reason (the connection test activates by itself).
      await request(gw.http).post(`${base}/${created.id}/activate`).set(auth).expect(409);
      const active = await request(gw.http).post(`${base}/${created.id}/activate`).set(auth).send({ force: true, reason: 'test' }).expect(200);
      expect(active.body.status).toBe('active');
      const regen = await request(gw.http).post(`${base}/${created.id}/regenerate-software-id`).set(auth).expect(200);
      expect(regen.body).toMatchObject({ status: 'pending' });
      expect(regen.body.softwareId).not.toBe(created.softwareId);
      expect(regen.body.softwareIdRegeneratedAt).not.toBeNull();
      const revoked = await request(gw.http).post(`${base}/${created.id}/revoke`).set(auth).expect(200);
      expect(revoked.body.status).toBe('revoked');
      expectProblem(
        await request(gw.http).post(`${base}/${created.id}/activate`).set(auth),
        409,
        'authorisation.invalid_transition',
      );
    });

    it('rejects bad dates and unknown ids', async () => {
      const res = await request(gw.http).post(base).set(auth).send({ startDate: '2026-05-01', endDate: '2026-04-01' });
      expectProblem(res, 400, 'request.validation');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'endDate' })]);
      expectProblem(await request(gw.http).post(`${base}/not-a-uuid/revoke`).set(auth), 404, 'authorisation.not_found');
      expectProblem(
        await request(gw.http).post(`${base}/00000000-0000-4000-8000-000000000000/revoke`).set(auth),
        404,
        'authorisation.not_found',
      );
      expectProblem(
        await request(gw.http).post('/v1/organisations/NOPE/authorisations').set(auth).send({ startDate: '2026-01-01' }),
        404,
        'organisation.not_found',
      );
    });
  });

  describe('API keys', () => {
    it('shows the key once and stores only its SHA-256 hash', async () => {
      const created = await request(gw.http)
        .post('/v1/api-keys')
        .set(auth)
        .send({ name: 'automation', scopes: ['usi:verify', 'usi:verify', 'bulk'] })
        .expect(201);
      const key: string = created.body.key;
      expect(key).toMatch(/^usi_test_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(created.body.prefix)).toBe(true);
      expect(created.body.scopes).toEqual(['usi:verify', 'bulk']);
      const list = await request(gw.http).get('/v1/api-keys?limit=200').set(auth).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(key);
      const [row] = await queryAs<Record<string, unknown>>(gw.db.ownerUrl, 'select * from api_keys where id = $1', [
        created.body.id,
      ]);
      expect(JSON.stringify(row)).not.toContain(key);
      expect(JSON.stringify(row)).not.toContain(key.slice(created.body.prefix.length + 1));
      const { createHash } = await import('node:crypto');
      expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
      const dump = await queryAs(gw.db.ownerUrl, `select string_agg(t::text, '') as all from api_keys t`);
      expect(JSON.stringify(dump)).not.toContain(key);
    });

    it('validates scopes and organisation restrictions', async () => {
      const res = await request(gw.http)
        .post('/v1/api-keys')
        .set(auth)
        .send({ name: 'x', scopes: ['root'], organisationIds: ['00000000-0000-4000-8000-000000000000'] });
      expectProblem(res, 400, 'request.validation');
      const unknownOrg = await request(gw.http)
        .post('/v1/api-keys')
        .set(auth)
        .send({ name: 'x', scopes: ['admin'], organisationIds: ['00000000-0000-4000-8000-000000000000'] });
      expectProblem(unknownOrg, 400, 'request.validation');
      expect(unknownOrg.body.errors).toEqual([expect.objectContaining({ path: 'organisationIds[0]', code: 'not_found' })]);
    });

    it('shows a key restricted to some organisations only the keys within them', async () => {
      const [mine, other] = [await gw.newOrganisation(vendorId), await gw.newOrganisation(vendorId)];
      const restricted = await gw.newApiKey(vendorId, { scopes: ['admin'], organisationIds: [mine.id] });
      const within = await gw.newApiKey(vendorId, { scopes: ['usi:verify'], organisationIds: [mine.id] });
      await gw.newApiKey(vendorId, { scopes: ['usi:verify'], organisationIds: [mine.id, other.id] });
      await gw.newApiKey(vendorId, { scopes: ['usi:verify'], organisationIds: null });
      const list = await request(gw.http).get('/v1/api-keys?limit=200').set('Authorization', `Bearer ${restricted.key}`).expect(200);
      expect(list.body.items.map((k: { id: string }) => k.id).sort()).toEqual([restricted.id, within.id].sort());
    });

    it('revokes a key, after which it is refused', async () => {
      const created = await gw.newApiKey(vendorId);
      await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${created.key}`).expect(200);
      const revoked = await request(gw.http).post(`/v1/api-keys/${created.id}/revoke`).set(auth).expect(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expectProblem(
        await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${created.key}`),
        401,
        'auth.invalid_api_key',
      );
      expectProblem(await request(gw.http).post('/v1/api-keys/bogus/revoke').set(auth), 404, 'api_key.not_found');
    });
  });

  it('returns the caller vendor', async () => {
    const res = await request(gw.http).get('/v1/vendor').set(auth).expect(200);
    expect(res.body).toMatchObject({ id: vendorId, status: 'active' });
  });
});
