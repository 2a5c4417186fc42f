import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { createProbeApp, newVendorWithKey, ProbeApp } from '../idempotency/support/probe-app';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** Two gateway instances on one database (and one Redis), as behind a load balancer. */
describe.each([
  ['postgres', false],
  ['redis', true],
])('@RateLimited() across two instances (%s)', (_name, useRedis) => {
  let db: TestDatabase;
  let instances: ProbeApp[];
  let apiKey: string;
  const prefix = `test:rl:${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      RATE_LIMIT_VENDOR_PER_MINUTE: '5',
      RATE_LIMIT_ORG_PER_MINUTE: '3',
      ...(useRedis ? { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix } : {}),
    };
    instances = [await createProbeApp(db, env), await createProbeApp(db, env)];
  }, 60_000);
  afterAll(async () => {
    await Promise.all((instances ?? []).map((i) => i.close()));
    await db?.drop();
    if (useRedis) {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });
  beforeEach(async () => {
    apiKey = (await newVendorWithKey(instances[0].app)).key;
  });

  const read = (instance: number, orgCode: string, key = apiKey) =>
    request(instances[instance].http).get(`/v1/organisations/${orgCode}/probe/read`).set('Authorization', `Bearer ${key}`);

  it('shares the organisation limit between instances, with RateLimit-* headers, then 429 with Retry-After', async () => {
    const responses = [];
    for (let i = 0; i < 4; i += 1) responses.push(await read(i % 2, 'VA1802'));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(responses.map((r) => r.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    for (const r of responses) {
      expect(r.headers['ratelimit-limit']).toBe('3');
      expect(Number(r.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(r.headers['ratelimit-policy']).toBe('5;w=60;comment="vendor", 3;w=60;comment="organisation"');
    }
    const refused = responses[3];
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limit.exceeded' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
  });

  it('limits the vendor across its organisations, and leaves other vendors alone', async () => {
    const statuses = [];
    for (const org of ['ORGA', 'ORGA', 'ORGB', 'ORGB', 'ORGC', 'ORGC']) statuses.push((await read(statuses.length % 2, org)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const other = await newVendorWithKey(instances[0].app);
    expect((await read(1, 'ORGC', other.key)).status).toBe(200);
  });

  it('treats organisation codes case-insensitively', async () => {
    const statuses = [];
    for (const org of ['va1802', 'VA1802', 'Va1802', 'vA1802']) statuses.push((await read(0, org)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
