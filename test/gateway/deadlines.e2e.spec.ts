import request from 'supertest';
import { DataSource } from 'typeorm';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

/** Every outbound call has a deadline, the database included: a statement stuck behind a lock ends as a clear 503. */
describe('database deadline', () => {
  const STATEMENT_TIMEOUT_MS = 400;
  let gw: GatewayTestApp;
  let owner: DataSource;
  let auth: { Authorization: string };

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) } });
    const vendorId = (await gw.newVendor()).id;
    await gw.newOrganisation(vendorId, { orgCode: 'LOCKED1' });
    auth = { Authorization: `Bearer ${(await gw.newApiKey(vendorId)).key}` };
    owner = await new DataSource({ type: 'postgres', url: gw.db.ownerUrl, extra: { max: 1 } }).initialize();
  });
  afterAll(async () => {
    await owner?.destroy();
    await gw?.close();
  });

  it('answers 503 database.unavailable with Retry-After when a statement outlives the timeout, then recovers', async () => {
    await request(gw.http).get('/v1/organisations').set(auth).expect(200);
    const runner = owner.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('LOCK TABLE organisations IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await request(gw.http).get('/v1/organisations').set(auth);
      const tookMs = Date.now() - started;
      expect({ status: res.status, code: res.body.code, retryAfter: res.headers['retry-after'] }).toEqual({
        status: 503,
        code: 'database.unavailable',
        retryAfter: '1',
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(tookMs).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
      expect(tookMs).toBeLessThan(STATEMENT_TIMEOUT_MS + 3_000);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const after = await request(gw.http).get('/v1/organisations').set(auth).expect(200);
    expect(after.body.items.map((o: { orgCode: string }) => o.orgCode)).toContain('LOCKED1');
  });
});
