import request from 'supertest';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { APPLICATION } from '../usi/support/usi-requests';

/** Stored idempotent responses hold USIs: the table must only ever see them encrypted. */
describe('idempotency_keys at rest', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    env = await createUsiTestEnv();
  }, 60_000);
  afterAll(() => env?.close());

  it('stores the CreateUSI answer encrypted and replays it decrypted', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const apiKey = await env.newKey(vendor);
    const create = () =>
      request(env.gw.http)
        .post(`/v1/organisations/${organisation.orgCode}/usis`)
        .set({ Authorization: `Bearer ${apiKey}`, 'Idempotency-Key': 'at-rest-1' })
        .send(APPLICATION);

    const first = await create().expect(201);
    expect(first.body.usi).toBe('BNGH7C75FN');

    const rows = await queryAs<{ row: string }>(env.gw.db.ownerUrl, `select row_to_json(k)::text as row from idempotency_keys k`);
    expect(rows).toHaveLength(1);
    for (const clear of [first.body.usi, first.body.result, first.body.applicationId, first.body.processedDate]) {
      expect({ clear, stored: rows[0].row.includes(clear) }).toEqual({ clear, stored: false });
    }
    expect(JSON.parse(rows[0].row).response_body).toMatchObject({ alg: 'AES-256-GCM' });

    const replay = await create().expect(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
  });
});
