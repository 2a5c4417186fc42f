import request from 'supertest';
import { TenantTransaction } from '@gateway/database/tenant-transaction.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

/**
 * Issue 18: the organisation's bulk jobs of each kind, newest first and cursor-paged, each as `GET …/{id}` shows it.
 * The jobs here have only rows that cannot be sent, so they are stored (and end) without a call to the registry.
 */
describe.each([
  { kind: 'verification-jobs', scope: 'usi:verify' as const, row: (i: number) => ({ recordId: `r-${i}`, usi: 'BNGH7C75FM', firstName: 'Zebulon', familyName: 'Quixote', dateOfBirth: '1966-05-25' }) },
  { kind: 'creation-jobs', scope: 'usi:write' as const, row: (i: number) => ({ recordId: `r-${i}`, personalDetails: { firstName: 'Zebulon', familyName: 'Quixote' } }) },
])('GET /v1/organisations/{orgCode}/$kind', ({ kind, scope, row }) => {
  let env: UsiTestEnv;
  let key: string;
  let orgCode: string;
  let vendorId: string;
  let siblingCode: string;
  let otherKey: string;
  let otherOrgCode: string;
  let seq = 0;
  const ids: string[] = [];

  const start = async (k: string, code: string, rows: number) => {
    const res = await request(env.gw.http)
      .post(`/v1/organisations/${code}/${kind}`)
      .set('Authorization', `Bearer ${k}`)
      .set('Idempotency-Key', `list-${++seq}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(Array.from({ length: rows }, (_, i) => row(i + 1))))
      .expect(202);
    return res.body.job.id as string;
  };
  const list = (k: string, code: string, query: Record<string, string | number> = {}) =>
    request(env.gw.http).get(`/v1/organisations/${code}/${kind}`).query(query).set('Authorization', `Bearer ${k}`);

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_ORG_PER_MINUTE: '100000', RATE_LIMIT_VENDOR_PER_MINUTE: '100000' });
    const vendor = await env.newVendor();
    vendorId = vendor.id;
    orgCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    siblingCode = (await env.newOrganisation(vendor)).organisation.orgCode;
    key = await env.newKey(vendor, [scope]);
    const other = await env.newVendor();
    otherOrgCode = (await env.newOrganisation(other)).organisation.orgCode;
    otherKey = await env.newKey(other, [scope]);
    for (let i = 1; i <= 5; i++) ids.push(await start(key, orgCode, i));
    await start(key, siblingCode, 1);
    await start(otherKey, otherOrgCode, 1);
  }, 90_000);
  afterAll(() => env?.close());

  it('lists the organisation’s jobs newest first, each as GET by id answers it, without personal data', async () => {
    const res = await list(key, orgCode).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((j: { id: string }) => j.id)).toEqual([...ids].reverse());
    const one = await request(env.gw.http).get(`/v1/organisations/${orgCode}/${kind}/${ids[2]}`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(res.body.items[2]).toEqual(one.body);
    expect(one.body).toMatchObject({ state: 'completed', counts: { total: 3, cannotSend: 3 } });
    expect(JSON.stringify(res.body)).not.toMatch(/Zebulon|Quixote|r-1/);
  });

  it('pages with the cursor: every job once, in order; a forged cursor is a 400 problem', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list(key, orgCode, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((j: { id: string }) => j.id));
      cursor = res.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const bad = await list(key, orgCode, { cursor: 'bm90IGEgY3Vyc29y' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('request.invalid_cursor');
    expect((await list(key, orgCode, { limit: 0 })).status).toBe(400);
  });

  it('never lists another organisation’s or another vendor’s jobs', async () => {
    const sibling = await list(key, siblingCode).expect(200);
    expect(sibling.body.items).toHaveLength(1);
    expect(ids).not.toContain(sibling.body.items[0].id);
    const foreign = await list(otherKey, otherOrgCode).expect(200);
    expect(foreign.body.items).toHaveLength(1);
    expect(ids).not.toContain(foreign.body.items[0].id);
    // Another vendor naming this vendor's organisation: not found, nothing listed.
    const edited = await list(otherKey, orgCode);
    expect(edited.status).toBe(404);
    expect(JSON.stringify(edited.body)).not.toContain(ids[0]);
  });

  it('in the other vendor’s tenant scope, row-level security hides this vendor’s jobs even without a vendor filter', async () => {
    const table = kind.replace('-', '_');
    const other = (await list(otherKey, otherOrgCode).expect(200)).body.items[0].id as string;
    const [otherVendor] = await queryAs<{ vendor_id: string }>(env.gw.db.ownerUrl, `select vendor_id from ${table} where id = $1`, [other]);
    const visible = await env.gw.app
      .get(TenantTransaction)
      .runInTenant(asVendorId(otherVendor.vendor_id), (m) => m.query(`select id, vendor_id from ${table}`) as Promise<{ id: string; vendor_id: string }[]>);
    expect(visible.map((r) => r.id)).toContain(other);
    expect(visible.every((r) => r.vendor_id === otherVendor.vendor_id)).toBe(true);
    expect(visible.map((r) => r.id)).not.toContain(ids[0]);
    expect(vendorId).not.toBe(otherVendor.vendor_id);
  });
});
