import request from 'supertest';
import { asVendorId } from '@gateway/database/vendor-id';
import { usiRequestIdFor } from '@gateway/idempotency/request-id';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { APPLICATION } from '../usi/support/usi-requests';

/** Idempotency on the real USI routes, against the in-process simulator and its request counters. */
describe('Idempotency-Key on the USI routes (simulator counters)', () => {
  let env: UsiTestEnv;
  let orgCode: string;
  let otherOrgCode: string;
  let apiKey: string;
  let vendorId: string;
  let seq = 0;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    const vendor = await env.newVendor();
    vendorId = vendor.id;
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    otherOrgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    apiKey = await env.newKey(vendor);
  }, 60_000);
  afterAll(() => env?.close());

  const key = () => `usi-idem-${Date.now()}-${(seq += 1)}`;
  const application = (userReference: string) => ({ ...APPLICATION, applicationId: `A${seq}`, userReference });
  const create = (idempotencyKey: string | undefined, body: object) => {
    const req = request(env.gw.http).post(`/v1/organisations/${orgCode}/usis`).set('Authorization', `Bearer ${apiKey}`);
    return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
  };

  it('replays the same key and body without a second upstream call', async () => {
    const k = key();
    const body = application('enrol-replay');
    env.counted();
    const first = await create(k, body);
    expect(first.status).toBe(201);
    expect(env.counted().usi.CreateUSI).toBe(1);
    const again = await create(k, body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(env.counted().total).toBe(0);
  });

  it('refuses the same key with a different body (422 idempotency.mismatch) and a missing key (400), upstream untouched', async () => {
    const k = key();
    await create(k, application('enrol-a')).expect(201);
    env.counted();
    const mismatch = await create(k, application('enrol-b'));
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('idempotency.mismatch');
    const missing = await create(undefined, application('enrol-c'));
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency.key_required');
    const update = await request(env.gw.http)
      .put(`/v1/organisations/${orgCode}/usis/BNGH7C75FN/contact-details`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({});
    expect(update.body.code).toBe('idempotency.key_required');
    expect(env.counted().total).toBe(0);
  });

  it('refuses the same key and body on another organisation or another POST route (422), upstream untouched', async () => {
    const k = key();
    const body = application('enrol-other-org');
    const first = await create(k, body).expect(201);
    env.counted();
    for (const path of [`/v1/organisations/${otherOrgCode}/usis`, `/v1/organisations/${orgCode}/bulk-uploads`]) {
      const res = await request(env.gw.http).post(path).set('Authorization', `Bearer ${apiKey}`).set('Idempotency-Key', k).send(body);
      expect({ path, status: res.status, code: res.body.code, replayed: res.headers['idempotency-replayed'] }).toEqual({
        path,
        status: 422,
        code: 'idempotency.mismatch',
        replayed: undefined,
      });
      expect(res.body).not.toEqual(first.body);
    }
    expect(env.counted().total).toBe(0);
  });

  it('sends exactly one CreateUSI for 20 concurrent identical creates, and answers all 20 alike', async () => {
    const k = key();
    const body = application('enrol-20');
    env.counted();
    const responses = await Promise.all(Array.from({ length: 20 }, () => create(k, body)));
    expect(env.counted().usi.CreateUSI).toBe(1);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    for (const r of responses) expect(r.body).toEqual(responses[0].body);
  });

  it('derives the RequestId from the key: after the 24 h expiry the key runs again and the registry sees the same RequestId', async () => {
    const k = key();
    await create(k, application('enrol-expiry')).expect(201);
    await queryAs(env.gw.db.ownerUrl, `update idempotency_keys set expires_at = now() - interval '1 second',
      created_at = now() - interval '25 hours' where key = $1`, [k]);
    env.counted();
    const rerun = await create(k, application('enrol-expiry-changed'));
    expect(rerun.headers['idempotency-replayed']).toBeUndefined();
    expect(env.counted().usi.CreateUSI).toBe(1);
    // Same key → same RequestId with different content: the registry refuses the reuse (ErrorInfo 1002) and names it.
    expect(rerun.status).toBe(422);
    expect(rerun.body.code).toBe('usi.validation');
    expect(rerun.body.detail).toContain(usiRequestIdFor(asVendorId(vendorId), k));
  });
});
