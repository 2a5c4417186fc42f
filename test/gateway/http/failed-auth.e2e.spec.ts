import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '@gateway/create-app';
import { AnonymousFailureAudit } from '@gateway/audit/inbound/anonymous-failure-audit';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

const BAD_KEY = `usi_test_abcd1234_${'A'.repeat(43)}`;
/** Small, so that the bucket refills slowly (one failure per 12 s) compared with how long a test takes. */
const LIMIT = 5;
const code = (res: request.Response) => ({ status: res.status, code: res.body.code });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts are per minute: a test that must stay within one waits for the next minute when this one is nearly over. */
async function withinOneMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await sleep(left + 50);
}

/**
 * Failed authentication is limited per client address (shared across instances through the rate-limit store) and
 * audited as one event per address and minute with an exact count, after a first event written at once.
 * TRUST_PROXY=loopback lets each test speak from addresses of its own through X-Forwarded-For.
 */
describe('failed authentication: limited per address, audited in aggregate', () => {
  let gw: GatewayTestApp;
  let key: string;
  let address = 0;
  const nextAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(LIMIT) } });
    const vendor = await gw.newVendor();
    key = (await gw.newApiKey(vendor.id)).key;
  });
  afterAll(() => gw?.close());

  const badKey = (from: string) => request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${BAD_KEY}`).set('X-Forwarded-For', from);
  const auditRows = (sql: string, params: unknown[]) => queryAs<Record<string, unknown>>(gw.db.ownerUrl, sql, params);
  const inboundFrom = (ip: string) =>
    auditRows(`select request_id, error_code from audit_events where category = 'inbound' and details->>'clientIp' = $1`, [ip]);
  const summariesFor = (ip: string) =>
    auditRows(`select vendor_id, chain_id, details from audit_events where type = 'auth.failures' and details->>'clientAddress' = $1`, [ip]);

  it('answers 429 auth.too_many_failures with Retry-After once an address has failed too often', async () => {
    const from = nextAddress();
    const answers: { status: number; code: string }[] = [];
    for (let i = 0; i < 150; i++) answers.push(code(await badKey(from)));
    expect(answers.slice(0, LIMIT).every((a) => a.code === 'auth.invalid_api_key')).toBe(true);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(150 - LIMIT - 5);
    expect(new Set(limited.map((a) => a.code))).toEqual(new Set(['auth.too_many_failures']));
    const res = await badKey(from);
    expect(code(res)).toEqual({ status: 429, code: 'auth.too_many_failures' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses even a valid key from a blocked address before looking it up, and leaves other addresses alone', async () => {
    const from = nextAddress();
    for (let i = 0; i <= LIMIT; i++) await badKey(from);
    expect(code(await badKey(from))).toEqual({ status: 429, code: 'auth.too_many_failures' });
    const blocked = await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${key}`).set('X-Forwarded-For', from);
    expect(code(blocked)).toEqual({ status: 429, code: 'auth.too_many_failures' });
    await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${key}`).set('X-Forwarded-For', nextAddress()).expect(200);
  });

  it('does not count requests that present no credential, nor successes', async () => {
    const from = nextAddress();
    for (let i = 0; i < LIMIT + 10; i++) {
      expect(code(await request(gw.http).get('/v1/vendor').set('X-Forwarded-For', from))).toEqual({ status: 401, code: 'auth.unauthenticated' });
    }
    for (let i = 0; i < LIMIT + 10; i++) await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${key}`).set('X-Forwarded-For', from).expect(200);
    expect(code(await badKey(from))).toEqual({ status: 401, code: 'auth.invalid_api_key' });
  });

  it('counts failed logins from the address too, whatever the email', async () => {
    const from = nextAddress();
    const answers: string[] = [];
    // Each login costs a scrypt, so the bucket refills a little (one failure per 60/LIMIT s) while they run.
    for (let i = 0; i < LIMIT + 10 && !answers.includes('auth.too_many_failures'); i++) {
      const res = await request(gw.http).post('/v1/auth/login').set('X-Forwarded-For', from).send({ email: `nobody-${i}@example.test`, password: 'x' });
      answers.push(res.body.code);
    }
    expect(answers.slice(0, LIMIT)).toEqual(new Array(LIMIT).fill('auth.invalid_credentials'));
    expect(answers[answers.length - 1]).toBe('auth.too_many_failures');
    const res = await request(gw.http).post('/v1/auth/login').set('X-Forwarded-For', from).send({ email: 'someone@example.test', password: 'x' });
    expect(code(res)).toEqual({ status: 429, code: 'auth.too_many_failures' });
    const other = await request(gw.http).post('/v1/auth/login').set('X-Forwarded-For', nextAddress()).send({ email: 'someone@example.test', password: 'x' });
    expect(code(other)).toEqual({ status: 401, code: 'auth.invalid_credentials' });
  });

  it('writes the first failure of an address at once and the rest as one event per minute with the exact count', async () => {
    await withinOneMinute();
    const from = nextAddress();
    const first = await badKey(from).expect(401);
    // Promptly: the first failure's own inbound event is committed before its response.
    expect(await inboundFrom(from)).toEqual([{ request_id: first.headers['x-request-id'], error_code: 'auth.invalid_api_key' }]);
    for (let i = 1; i < 150; i++) await badKey(from);
    for (let i = 0; i < 7; i++) await request(gw.http).get('/v1/no-such-route').set('X-Forwarded-For', from).expect(404);
    expect(await inboundFrom(from)).toHaveLength(1);
    expect(await summariesFor(from)).toEqual([]);

    await gw.app.get(AnonymousFailureAudit).flush();
    const summaries = await summariesFor(from);
    expect(summaries).toHaveLength(1);
    const [summary] = summaries as { vendor_id: null; chain_id: string; details: Record<string, unknown> }[];
    expect(summary.vendor_id).toBeNull();
    expect(summary.chain_id).toBe('platform');
    expect(summary.details).toMatchObject({
      clientAddress: from,
      count: 157,
      recordedIndividually: 1,
      firstRequestId: first.headers['x-request-id'],
      byCode: { 'auth.invalid_api_key': LIMIT, 'auth.too_many_failures': 150 - LIMIT, 'request.not_found': 7 },
      byRoute: { 'GET /v1/vendor': 150, 'GET (unmatched)': 7 },
    });
    expect(new Date(String(summary.details.windowEnd)).getTime() - new Date(String(summary.details.windowStart)).getTime()).toBe(60_000);
    // Flushed once: nothing more to write.
    await gw.app.get(AnonymousFailureAudit).flush();
    expect(await summariesFor(from)).toHaveLength(1);
  });

  it('150 bad keys leave 2 audit rows instead of 150', async () => {
    await withinOneMinute();
    const from = nextAddress();
    for (let i = 0; i < 150; i++) await badKey(from);
    await gw.app.get(AnonymousFailureAudit).flush();
    const rows = await auditRows(
      `select count(*)::int as n from audit_events where details->>'clientIp' = $1 or details->>'clientAddress' = $1`,
      [from],
    );
    expect(rows).toEqual([{ n: 2 }]);
  });

  describe('with a second instance on the same database', () => {
    let second: NestExpressApplication | undefined;
    beforeAll(async () => (second = await createApp(gw.config)));
    afterAll(() => second?.close());

    it('shares the limit (failures on one instance count on the other) and writes its own counts when it stops', async () => {
      await withinOneMinute();
      const from = nextAddress();
      for (let i = 0; i < LIMIT; i++) await badKey(from).expect(401);
      expect(code(await badKey(from))).toEqual({ status: 429, code: 'auth.too_many_failures' });
      for (let i = 0; i < 3; i++) {
        const res = await request(second!.getHttpServer()).get('/v1/vendor').set('Authorization', `Bearer ${BAD_KEY}`).set('X-Forwarded-For', from);
        expect(code(res)).toEqual({ status: 429, code: 'auth.too_many_failures' });
      }
      await second!.close();
      second = undefined;
      const [fromSecond] = (await summariesFor(from)) as { details: Record<string, unknown> }[];
      expect(fromSecond.details).toMatchObject({ count: 3, byCode: { 'auth.too_many_failures': 3 } });
      await gw.app.get(AnonymousFailureAudit).flush();
      const counts = ((await summariesFor(from)) as { details: { count: number } }[]).map((s) => s.details.count).sort();
      // Each instance wrote its first failure and its own count; together they are exact.
      expect(counts).toEqual([3, LIMIT + 1]);
      expect(await inboundFrom(from)).toHaveLength(2);
    });
  });
});

describe('failed authentication limited through Redis (REDIS_URL), across two instances', () => {
  const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test:af:${randomBytes(6).toString('hex')}:`;
  let gw: GatewayTestApp;
  let second: NestExpressApplication;

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix, RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(LIMIT) } });
    second = await createApp(gw.config);
  });
  afterAll(async () => {
    await second?.close();
    await gw?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('blocks the address on the second instance after the first used up its failures', async () => {
    const bad = (http: Parameters<typeof request>[0]) => request(http).get('/v1/vendor').set('Authorization', `Bearer ${BAD_KEY}`);
    for (let i = 0; i < LIMIT; i++) await bad(gw.http).expect(401);
    expect(code(await bad(gw.http))).toEqual({ status: 429, code: 'auth.too_many_failures' });
    expect(code(await bad(second.getHttpServer()))).toEqual({ status: 429, code: 'auth.too_many_failures' });
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.keys(`${prefix}{auth-failures:*`)).toHaveLength(1);
    } finally {
      await redis.quit();
    }
  });
});

