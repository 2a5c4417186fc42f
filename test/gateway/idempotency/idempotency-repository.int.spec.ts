import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TenantTransaction } from '@gateway/database/tenant-transaction.service';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { IdempotencyRepository } from '@gateway/idempotency/idempotency.repository';
import { ResponseSealer } from '@gateway/idempotency/response-sealer';
import { LocalKeyProvider } from '@gateway/keys/local-key-provider';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
let keySeq = 0;
const freshKey = () => `repo-${process.pid}-${(keySeq += 1)}`;

/** The key store's SQL on its own, as the application role under RLS: no gateway, so each case is quick to judge. */
describe('IdempotencyRepository against Postgres (app role, RLS)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let tx: TenantTransaction;
  let repo: IdempotencyRepository;
  let vendorA: VendorId;
  let vendorB: VendorId;

  const rowOf = async (vendor: VendorId, key: string) =>
    (
      await queryAs<{ status: string; request_hash: string; response_status: number | null; response_body: unknown; hours: number }>(
        db.ownerUrl,
        `select status, request_hash, response_status, response_body,
                (extract(epoch from expires_at - now()) / 3600)::float8 as hours
           from idempotency_keys where vendor_id = $1 and key = $2`,
        [vendor, key],
      )
    )[0];
  const expire = (key: string) => queryAs(db.ownerUrl, `update idempotency_keys set expires_at = now() - interval '1 second' where key = $1`, [key]);

  beforeAll(async () => {
    db = await createTestDatabase();
    const newVendor = async (name: string, abn: string) =>
      asVendorId((await queryAs<{ id: string }>(db.ownerUrl, `insert into vendors (name, abn) values ($1, $2) returning id`, [name, abn]))[0].id);
    vendorA = await newVendor('A', '11000002568');
    vendorB = await newVendor('B', '96312011219');
    dataSource = await new DataSource({ type: 'postgres', url: db.appUrl, extra: { max: 2 } }).initialize();
    tx = new TenantTransaction(dataSource);
    repo = new IdempotencyRepository(tx, new ResponseSealer(new LocalKeyProvider(randomBytes(32))));
  }, 60_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('claims a new key in progress for 24 hours, and a second claim gets the row instead', async () => {
    const key = freshKey();
    await expect(repo.claim(vendorA, key, HASH_A)).resolves.toEqual({ claimed: true });
    const row = await rowOf(vendorA, key);
    expect({ status: row.status, hash: row.request_hash }).toEqual({ status: 'in_progress', hash: HASH_A });
    expect(row.hours).toBeGreaterThan(23.9);
    expect(row.hours).toBeLessThanOrEqual(24);
    await expect(repo.claim(vendorA, key, HASH_B)).resolves.toEqual({
      claimed: false,
      existing: { status: 'in_progress', requestHash: HASH_A },
    });
    await expect(repo.find(vendorA, key)).resolves.toEqual({ status: 'in_progress', requestHash: HASH_A });
  });

  it('stores the completed response sealed and returns it with its status and headers', async () => {
    const key = freshKey();
    await repo.claim(vendorA, key, HASH_A);
    await repo.complete(vendorA, key, { status: 201, body: { usi: 'BNGH7C75FN' }, headers: { location: '/v1/x/1' } });
    const row = await rowOf(vendorA, key);
    expect(row).toMatchObject({ status: 'completed', response_status: 201 });
    expect(JSON.stringify(row.response_body)).not.toContain('BNGH7C75FN');
    const completed = { status: 'completed', requestHash: HASH_A, response: { status: 201, body: { usi: 'BNGH7C75FN' }, headers: { location: '/v1/x/1' } } };
    await expect(repo.find(vendorA, key)).resolves.toEqual(completed);
    await expect(repo.claim(vendorA, key, HASH_A)).resolves.toEqual({ claimed: false, existing: completed });
  });

  it('returns no headers as an empty object', async () => {
    const key = freshKey();
    await repo.claim(vendorA, key, HASH_A);
    await repo.complete(vendorA, key, { status: 200, body: { ok: true } } as never);
    await expect(repo.find(vendorA, key)).resolves.toMatchObject({ response: { status: 200, body: { ok: true }, headers: {} } });
  });

  it('completes only a key in progress: the first stored response is never replaced', async () => {
    const key = freshKey();
    await repo.claim(vendorA, key, HASH_A);
    await repo.complete(vendorA, key, { status: 201, body: { n: 1 }, headers: {} });
    await repo.complete(vendorA, key, { status: 422, body: { n: 2 }, headers: {} });
    await expect(repo.find(vendorA, key)).resolves.toMatchObject({ response: { status: 201, body: { n: 1 } } });
  });

  it('releases a key in progress so it can be claimed again, but never a completed one', async () => {
    const inProgress = freshKey();
    await repo.claim(vendorA, inProgress, HASH_A);
    await repo.release(vendorA, inProgress);
    await expect(repo.find(vendorA, inProgress)).resolves.toBeUndefined();
    await expect(repo.claim(vendorA, inProgress, HASH_B)).resolves.toEqual({ claimed: true });

    const done = freshKey();
    await repo.claim(vendorA, done, HASH_A);
    await repo.complete(vendorA, done, { status: 201, body: {}, headers: {} });
    await repo.release(vendorA, done);
    await expect(repo.find(vendorA, done)).resolves.toMatchObject({ status: 'completed' });
  });

  it('treats an expired row as absent and lets the next claim take it over from scratch', async () => {
    const key = freshKey();
    await repo.claim(vendorA, key, HASH_A);
    await repo.complete(vendorA, key, { status: 201, body: { n: 1 }, headers: {} });
    await expire(key);
    await expect(repo.find(vendorA, key)).resolves.toBeUndefined();
    await expect(repo.claim(vendorA, key, HASH_B)).resolves.toEqual({ claimed: true });
    const row = await rowOf(vendorA, key);
    expect(row).toMatchObject({ status: 'in_progress', request_hash: HASH_B, response_status: null, response_body: null });
    expect(row.hours).toBeGreaterThan(23.9);
  });

  it("keeps keys per vendor: one vendor neither sees nor blocks another's key", async () => {
    const key = freshKey();
    await repo.claim(vendorA, key, HASH_A);
    await expect(repo.find(vendorB, key)).resolves.toBeUndefined();
    await expect(repo.claim(vendorB, key, HASH_B)).resolves.toEqual({ claimed: true });
    await repo.release(vendorB, key);
    await expect(repo.find(vendorA, key)).resolves.toEqual({ status: 'in_progress', requestHash: HASH_A });
  });

  it('purges expired rows of every vendor, at most `limit` at a time, and keeps live ones', async () => {
    await queryAs(db.ownerUrl, `delete from idempotency_keys`);
    const live = freshKey();
    const [a1, a2, b1] = [freshKey(), freshKey(), freshKey()];
    for (const [vendor, key] of [[vendorA, live], [vendorA, a1], [vendorA, a2], [vendorB, b1]] as const) await repo.claim(vendor, key, HASH_A);
    for (const key of [a1, a2, b1]) await expire(key);
    const platformScope = jest.spyOn(tx, 'runInPlatformScope');
    await expect(repo.purgeExpired(2)).resolves.toBe(2);
    // Crossing vendors needs the platform scope, and every such call names why (TenantTransaction's contract).
    expect(platformScope.mock.calls[0][0]).toMatch(/idempotency/);
    await expect(repo.purgeExpired()).resolves.toBe(1);
    await expect(repo.purgeExpired()).resolves.toBe(0);
    const left = await queryAs<{ key: string }>(db.ownerUrl, `select key from idempotency_keys`);
    expect(left).toEqual([{ key: live }]);
  });
});
