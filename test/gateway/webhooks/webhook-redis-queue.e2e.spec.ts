import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { WebhookEvents } from '@gateway/common/webhook-events/webhook-events';
import { asVendorId } from '@gateway/database/vendor-id';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { startReceiver, TestReceiver, until, verifiesWith } from './support/test-receiver';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** The same delivery contract with the queue on Redis (webhooks.e2e runs it on the default Postgres backend). */
describe('Webhook deliveries on the Redis queue backend', () => {
  let gw: GatewayTestApp;
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    gw = await createGatewayApp({
      env: {
        REDIS_URL,
        QUEUE_BACKEND: 'redis',
        QUEUE_PREFIX: `t_wh_${randomBytes(4).toString('hex')}`,
        RATE_LIMIT_REDIS_PREFIX: `t-wh-${randomBytes(4).toString('hex')}:`,
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_RETRY_BASE_MS: '300',
        WEBHOOK_RETRY_FACTOR: '2',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  it('500 three times then 200: four signed attempts with the same webhook-id, each wait longer than the last', async () => {
    const vendor = asVendorId((await gw.newVendor()).id);
    const key = (await gw.newApiKey(vendor, { scopes: ['admin'] })).key;
    const created = await request(gw.http)
      .post('/v1/webhooks/endpoints')
      .set('Authorization', `Bearer ${key}`)
      .send({ url: `${receiver.base}/flaky`, eventTypes: ['authorisation.revoked'] })
      .expect(201);
    receiver.script.set('/flaky', [500, 500, 500]);
    await gw.app.get(WebhookEvents).emit(vendor, 'authorisation.revoked', { authorisationId: 'a-1' });
    await until(() => receiver.at('/flaky').length === 4);
    await new Promise((r) => setTimeout(r, 2_500));
    const attempts = receiver.at('/flaky');
    expect(attempts).toHaveLength(4);
    expect(attempts.every((a) => verifiesWith(created.body.secret, a.headers, a.body))).toBe(true);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
  }, 30_000);
});
