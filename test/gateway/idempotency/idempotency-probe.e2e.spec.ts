import request from 'supertest';
import { asVendorId } from '@gateway/database/vendor-id';
import { IdempotencyPurgeJob } from '@gateway/idempotency/idempotency-purge.job';
import { usiRequestIdFor } from '@gateway/idempotency/request-id';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';
import { createProbeApp, newVendorWithKey, ProbeApp } from './support/probe-app';
import { probeCalls } from './support/probe.controller';

const PATH = '/v1/organisations/VA1802/probe/create';
let keySeq = 0;
const freshKey = () => `probe-${process.pid}-${Date.now()}-${(keySeq += 1)}`;

describe('@Idempotent() on a probe route (real Postgres)', () => {
  let db: TestDatabase;
  let gw: ProbeApp;
  let apiKey: string;
  let vendorId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    gw = await createProbeApp(db, { IDEMPOTENCY_WAIT_MS: '2000', RATE_LIMIT_VENDOR_PER_MINUTE: '100000', RATE_LIMIT_ORG_PER_MINUTE: '100000' });
    ({ key: apiKey, vendorId } = await newVendorWithKey(gw.app));
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const post = (key: string | undefined, body: object, bearer = apiKey) => {
    const req = request(gw.http).post(PATH).set('Authorization', `Bearer ${bearer}`);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const rowsFor = (key: string) =>
    queryAs<{ status: string; vendor_id: string }>(db.ownerUrl, 'select status, vendor_id from idempotency_keys where key = $1', [key]);

  it('refuses a missing key with 400 idempotency.key_required before the handler runs', async () => {
    const before = probeCalls.create;
    const res = await post(undefined, { name: 'a' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('idempotency.key_required');
    expect(probeCalls.create).toBe(before);
  });

  it('refuses a key longer than 255 characters or outside printable ASCII', async () => {
    expect((await post('k'.repeat(256), {})).body.code).toBe('idempotency.invalid_key');
    expect((await post('clé-1', {})).body.code).toBe('idempotency.invalid_key');
    expect((await post('k'.repeat(255), {})).status).toBe(201);
  });

  it('replays the stored response for the same key and body, even with keys reordered, without running again', async () => {
    const key = freshKey();
    const first = await post(key, { name: 'Ada', extra: { b: 1, a: 2 } });
    expect(first.status).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const before = probeCalls.create;
    const again = await post(key, { extra: { a: 2, b: 1 }, name: 'Ada' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(probeCalls.create).toBe(before);
    expect(await rowsFor(key)).toEqual([{ status: 'completed', vendor_id: vendorId }]);
  });

  it('answers 422 idempotency.mismatch for the same key with a different body', async () => {
    const key = freshKey();
    await post(key, { name: 'Ada' }).expect(201);
    const res = await post(key, { name: 'Grace' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency.mismatch');
  });

  // The fingerprint covers the path: without it the first answer would be replayed for another organisation or route.
  it.each([
    ['another organisation', '/v1/organisations/VA1803/probe/create'],
    ['another route', '/v1/organisations/VA1802/probe/create-again'],
  ])('refuses the same key and body on %s with 422 idempotency.mismatch, not a replay', async (_, otherPath) => {
    const key = freshKey();
    await post(key, { name: 'Ada' }).expect(201);
    const before = probeCalls.create;
    const res = await request(gw.http).post(otherPath).set('Authorization', `Bearer ${apiKey}`).set('Idempotency-Key', key).send({ name: 'Ada' });
    expect({ status: res.status, code: res.body.code, replayed: res.headers['idempotency-replayed'] }).toEqual({
      status: 422,
      code: 'idempotency.mismatch',
      replayed: undefined,
    });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(probeCalls.create).toBe(before);
  });

  it('derives a stable ≤ 20-character USI RequestId from (vendor, key)', async () => {
    const key = freshKey();
    const res = await post(key, { name: 'Ada' }).expect(201);
    expect(res.body.requestId).toBe(usiRequestIdFor(asVendorId(vendorId), key));
    expect(res.body.requestId).toMatch(/^[A-Z2-7]{20}$/);
  });

  it('keeps keys per vendor: another vendor with the same key runs its own request', async () => {
    const key = freshKey();
    const other = await newVendorWithKey(gw.app);
    const mine = await post(key, { name: 'Ada' }).expect(201);
    const theirs = await post(key, { name: 'Ada' }, other.key).expect(201);
    expect(theirs.headers['idempotency-replayed']).toBeUndefined();
    expect(theirs.body.call).not.toBe(mine.body.call);
    expect(theirs.body.requestId).not.toBe(mine.body.requestId);
  });

  it('runs 20 concurrent identical requests exactly once and answers all 20 identically', async () => {
    const key = freshKey();
    const before = probeCalls.create;
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(key, { name: 'Ada', delayMs: 150 })));
    expect(probeCalls.create - before).toBe(1);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    for (const r of responses) expect(r.body).toEqual(responses[0].body);
    expect(responses.filter((r) => r.headers['idempotency-replayed'] === 'true')).toHaveLength(19);
  });

  it("stores the Registry's own refusal (4xx) and replays it as problem+json", async () => {
    const key = freshKey();
    const first = await post(key, { fail: 'upstream' });
    expect(first.status).toBe(422);
    const before = probeCalls.create;
    const again = await post(key, { fail: 'upstream' });
    expect(again.status).toBe(422);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(probeCalls.create).toBe(before);
  });

  it('does not spend the key on a request refused before execution: the corrected request runs under the same key', async () => {
    const key = freshKey();
    const invalid = await post(key, { fail: 'invalid' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('request.validation');
    expect(await rowsFor(key)).toEqual([]);
    const corrected = await post(key, { name: 'fixed' });
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotency-replayed']).toBeUndefined();
    expect(corrected.body.name).toBe('fixed');
  });

  it('releases the key after a 5xx so that a retry runs again', async () => {
    const key = freshKey();
    const first = await post(key, { fail: 'server' });
    expect(first.status).toBe(503);
    expect(await rowsFor(key)).toEqual([]);
    const before = probeCalls.create;
    expect((await post(key, { fail: 'server' })).status).toBe(503);
    expect(probeCalls.create - before).toBe(1);
  });

  it('answers 409 idempotency.in_progress with Retry-After when the first request outlasts the wait', async () => {
    const key = freshKey();
    // supertest sends on then(): start the first request now
    const slow = Promise.resolve(post(key, { name: 'Ada', delayMs: 3500 }));
    await new Promise((r) => setTimeout(r, 200));
    const dup = await post(key, { name: 'Ada', delayMs: 3500 });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('idempotency.in_progress');
    expect(Number(dup.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await slow).status).toBe(201);
  });

  it('forgets a key after 24 h: the request runs again, and the purge job removes expired rows', async () => {
    const key = freshKey();
    await post(key, { name: 'Ada' }).expect(201);
    await queryAs(db.ownerUrl, `update idempotency_keys set created_at = now() - interval '25 hours',
      expires_at = now() - interval '1 hour' where key = $1`, [key]);
    const before = probeCalls.create;
    const rerun = await post(key, { name: 'Someone else' });
    expect(rerun.status).toBe(201);
    expect(rerun.headers['idempotency-replayed']).toBeUndefined();
    expect(probeCalls.create - before).toBe(1);

    await queryAs(db.ownerUrl, `update idempotency_keys set expires_at = now() - interval '1 second' where key = $1`, [key]);
    expect(await gw.app.get(IdempotencyPurgeJob).run()).toBeGreaterThanOrEqual(1);
    expect(await rowsFor(key)).toEqual([]);
  });

  it('hides rows from other vendors through RLS', async () => {
    const key = freshKey();
    await post(key, { name: 'Ada' }).expect(201);
    const other = await newVendorWithKey(gw.app);
    const visible = await queryAs(
      db.appUrl,
      `select set_config('app.vendor_id', $1, false) as s, (select count(*)::int from idempotency_keys where key = $2) as n`,
      [other.vendorId, key],
    );
    expect(visible[0].n).toBe(0);
  });
});
