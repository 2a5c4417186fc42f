import { personalValuesIn } from './personal-test-data';
import { createTestDatabase, queryAs } from './test-database';

describe('personal test data scan', () => {
  it('finds a value standing on its own, in any case, and not inside ids, hashes or base64', () => {
    expect(personalValuesIn(['{"details":{"singleName":"amy"}}', '{"msg":"sent for MARYAM FREDRICK"}']).map((l) => l.value)).toEqual([
      'Amy',
      'Maryam',
      'Fredrick',
    ]);
    expect(personalValuesIn(['{"sha1Fingerprint":"DXRCAenxzRxsJ2527zLBAAmyqbE=","serial":"4196605251","id":"x/amy+"}'])).toEqual([]);
    expect(personalValuesIn(['{"email":"maryam@example.com.au","dob":"25/05/1966"}']).map((l) => l.value)).toEqual([
      'Maryam',
      '25/05/1966',
      'maryam@example.com.au',
    ]);
  });

  it('makes dropping a test database fail when the gateway left personal data in its audit table', async () => {
    const db = await createTestDatabase();
    await queryAs(
      db.ownerUrl,
      `insert into audit_events (id, occurred_at, chain_id, chain_seq, prev_hash, hash, category, type, outcome, details)
       values (gen_random_uuid(), now(), 'platform', 1, repeat('0', 64), repeat('1', 64), 'inbound', 'request', 'ok', '{"firstName":"Olivia"}')`,
    );
    await expect(db.drop()).rejects.toThrow(/personal test data in the audit table.*Olivia/);
    const [{ n }] = await queryAs<{ n: number }>(process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test', `select count(*)::int as n from pg_database where datname = $1`, [db.name]);
    expect(n).toBe(0);
  });
});
