import request from 'supertest';
import { WebhookEvents } from '@gateway/common/webhook-events/webhook-events';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { WebhookMaintenanceJob } from '@gateway/webhooks/delivery/webhook-maintenance.job';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';
import { seedDeliveries } from './support/seed-deliveries';
import { startReceiver, TestReceiver, until, verifiesWith } from './support/test-receiver';

describe('Webhooks (Standard Webhooks) end to end', () => {
  let gw: GatewayTestApp;
  let receiver: TestReceiver;
  let base: string;
  let vendorA: VendorId;
  let vendorB: VendorId;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    base = receiver.base;
    // Loopback allowed (development flag) so the receiver can be local; a schedule of 300 ms x2 so retries take seconds.
    gw = await createGatewayApp({
      env: { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_FACTOR: '2', WEBHOOK_MAX_ATTEMPTS: '8' },
    });
    vendorA = asVendorId((await gw.newVendor()).id);
    vendorB = asVendorId((await gw.newVendor()).id);
    keyA = (await gw.newApiKey(vendorA, { scopes: ['admin'] })).key;
    keyB = (await gw.newApiKey(vendorB, { scopes: ['admin'] })).key;
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  const as = (key: string) => ({ Authorization: `Bearer ${key}` });
  const register = async (path: string, eventTypes = ['authorisation.activated', 'credential.expiring']) => {
    const res = await request(gw.http).post('/v1/webhooks/endpoints').set(as(keyA)).send({ url: `${base}${path}`, eventTypes, description: path });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const emit = (data: Record<string, string | number>) => gw.app.get(WebhookEvents).emit(vendorA, 'credential.expiring', data);
  const at = (path: string) => receiver.at(path);

  it('shows the whsec_ secret once, never on reads', async () => {
    const created = await register('/once');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const read = await request(gw.http).get(`/v1/webhooks/endpoints/${created.id}`).set(as(keyA));
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(created.secret.slice(6));
    const listed = await request(gw.http).get('/v1/webhooks/endpoints').set(as(keyA));
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const [row] = await queryAs<{ envelope: string }>(gw.db.ownerUrl, `select secret_envelope::text as envelope from webhook_endpoints where id = $1`, [created.id]);
    expect(row!.envelope).not.toContain(created.secret.slice(6));
    await request(gw.http).delete(`/v1/webhooks/endpoints/${created.id}`).set(as(keyA)).expect(204);
  });

  it('delivers {type, timestamp, data} signed so that an independent Standard Webhooks verifier accepts it', async () => {
    const { secret } = await register('/signed');
    await emit({ credentialId: 'c-1', daysLeft: 7 });
    await until(() => at('/signed').length === 1);
    const [delivery] = at('/signed');
    expect(verifiesWith(secret, delivery!.headers, delivery!.body)).toBe(true);
    expect(verifiesWith(secret, delivery!.headers, delivery!.body.replace('7', '8'))).toBe(false);
    expect(Math.abs(Number(delivery!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(JSON.parse(delivery!.body)).toEqual({ type: 'credential.expiring', timestamp: expect.any(String), data: { credentialId: 'c-1', daysLeft: 7 } });
  });

  it('retries a receiver answering 500 three times, then 200: exactly four attempts, each wait longer than the last', async () => {
    const { id } = await register('/flaky');
    receiver.script.set('/flaky', [500, 500, 500]);
    await emit({ credentialId: 'c-2', daysLeft: 30 });
    await until(() => at('/flaky').length === 4);
    // Time for a fifth attempt to show up, if one wrongly followed the success (the next delay would be 2.4 s).
    await new Promise((r) => setTimeout(r, 2_500));
    const attempts = at('/flaky');
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);

    const log = await request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries`).set(as(keyA));
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ status: 'succeeded', attempts: 4, eventType: 'credential.expiring' });
    expect(log.body.items[0].log.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 500, 500, 200]);
    expect(log.body.items[0].log[0]).toMatchObject({ outcome: 'failed', responseBody: 'receiver error', durationMs: expect.any(Number) });
  }, 30_000);

  it('redelivers a finished delivery on request, with the same webhook-id', async () => {
    const { id } = await register('/again');
    await emit({ credentialId: 'c-3', daysLeft: 1 });
    await until(() => at('/again').length === 1);
    const log = await request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries`).set(as(keyA));
    await until(async () => (await request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries`).set(as(keyA))).body.items[0].status === 'succeeded');
    const deliveryId = log.body.items[0].id as string;
    const res = await request(gw.http).post(`/v1/webhooks/endpoints/${id}/deliveries/${deliveryId}/redeliver`).set(as(keyA));
    expect(res.status).toBe(202);
    await until(() => at('/again').length === 2);
    expect(at('/again')[1]!.headers['webhook-id']).toBe(at('/again')[0]!.headers['webhook-id']);
  });

  it('lists the delivery log newest first, older pages through nextCursor', async () => {
    const { id } = await register('/log');
    const [oldest, middle, newest] = await seedDeliveries(gw.db.ownerUrl, vendorA, id, 3);
    const page = (query: string) => request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries?${query}`).set(as(keyA));
    const first = await page('limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([newest, middle]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await page(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([oldest]);
    expect(second.body.nextCursor).toBeNull();
    await request(gw.http).delete(`/v1/webhooks/endpoints/${id}`).set(as(keyA)).expect(204);
  });

  it('signs with both secrets after a rotation, the new one first', async () => {
    const { id, secret: old } = await register('/rotated');
    const rotated = await request(gw.http).post(`/v1/webhooks/endpoints/${id}/rotate-secret`).set(as(keyA));
    expect(rotated.status).toBe(200);
    const next = rotated.body.secret as string;
    expect(next).not.toBe(old);
    expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now());
    await emit({ credentialId: 'c-4', daysLeft: 60 });
    await until(() => at('/rotated').length === 1);
    const [delivery] = at('/rotated');
    const signatures = String(delivery!.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    expect(verifiesWith(next, { ...delivery!.headers, 'webhook-signature': signatures[0] }, delivery!.body)).toBe(true);
    expect(verifiesWith(old, { ...delivery!.headers, 'webhook-signature': signatures[1] }, delivery!.body)).toBe(true);
  });

  it('sends only the event types an endpoint subscribed to', async () => {
    await register('/auth-only', ['authorisation.revoked']);
    await emit({ credentialId: 'c-5', daysLeft: 7 });
    await gw.app.get(WebhookEvents).emit(vendorA, 'authorisation.revoked', { authorisationId: 'a-1' });
    await until(() => at('/auth-only').length === 1);
    expect(JSON.parse(at('/auth-only')[0]!.body).type).toBe('authorisation.revoked');
  });

  it('announces an authorisation activated through the API', async () => {
    await register('/domain', ['authorisation.activated']);
    const org = await gw.newOrganisation(vendorA);
    const created = await request(gw.http).post(`/v1/organisations/${org.orgCode}/authorisations`).set(as(keyA)).send({ startDate: '2026-01-01' });
    await request(gw.http).post(`/v1/organisations/${org.orgCode}/authorisations/${created.body.id}/activate`).set(as(keyA)).send({ force: true, reason: 'Provider showed its RAM notification' }).expect(200);
    await until(() => at('/domain').length === 1);
    expect(JSON.parse(at('/domain')[0]!.body)).toMatchObject({
      type: 'authorisation.activated',
      data: { authorisationId: created.body.id, organisationId: org.id, orgCode: org.orgCode, status: 'active' },
    });
  });

  it('disables an endpoint failing for longer than the limit, and emails the vendor admins', async () => {
    const admin = await gw.newUser({ vendorId: vendorA, roles: ['vendor_admin'] });
    const { id } = await register('/down');
    receiver.script.set('/down', Array(20).fill(503));
    // As if it had been failing for 4 days already (limit: 3).
    await queryAs(gw.db.ownerUrl, `update webhook_endpoints set failing_since = now() - interval '4 days' where id = $1`, [id]);
    await emit({ credentialId: 'c-6', daysLeft: 7 });
    await until(async () => (await request(gw.http).get(`/v1/webhooks/endpoints/${id}`).set(as(keyA))).body.status === 'disabled');
    const endpoint = await request(gw.http).get(`/v1/webhooks/endpoints/${id}`).set(as(keyA));
    expect(endpoint.body).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    const mails = await queryAs<{ to_address: string; text_body: string }>(
      gw.db.ownerUrl,
      `select to_address, text_body from email_outbox where template = 'webhooks.endpoint_disabled' and vendor_id = $1`,
      [vendorA],
    );
    expect(mails.map((m) => m.to_address)).toContain(admin.email);
    expect(mails[0]!.text_body).toContain(id);
    expect(mails[0]!.text_body).not.toContain(base);
    // Nothing more is sent to it, and a redelivery is refused until it is re-enabled.
    const before = at('/down').length;
    await emit({ credentialId: 'c-7', daysLeft: 7 });
    await new Promise((r) => setTimeout(r, 500));
    expect(at('/down').length).toBe(before);
    const deliveries = (await request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries`).set(as(keyA))).body.items as { id: string }[];
    const redeliver = () => request(gw.http).post(`/v1/webhooks/endpoints/${id}/deliveries/${deliveries[0]!.id}/redeliver`).set(as(keyA));
    expect((await redeliver()).body).toMatchObject({ status: 409, code: 'webhook_endpoint.disabled' });
    receiver.script.set('/down', []);
    const enabled = await request(gw.http).patch(`/v1/webhooks/endpoints/${id}`).set(as(keyA)).send({ enabled: true });
    expect(enabled.body).toMatchObject({ status: 'enabled', failingSince: null, disabledAt: null, disabledReason: null });
    const again = await redeliver();
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 202 });
    await until(() => at('/down').length === before + 1);
  });

  it('refuses a URL written as a link-local (metadata) or private address at registration, even with loopback allowed', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/hook', 'http://[fd00:ec2::254]/']) {
      const res = await request(gw.http).post('/v1/webhooks/endpoints').set(as(keyA)).send({ url, eventTypes: ['credential.expired'] });
      expect({ url, status: res.status, code: res.body.code, errors: res.body.errors }).toMatchObject({
        url,
        status: 400,
        code: 'request.validation',
        errors: [{ path: 'url', code: 'forbidden_address' }],
      });
    }
  });

  it('refuses, and logs, a delivery to a link-local (metadata) address even with loopback allowed', async () => {
    // Registered with an acceptable URL; then, as if its host name now resolved there, the metadata address.
    const res = await request(gw.http).post('/v1/webhooks/endpoints').set(as(keyA)).send({ url: `${base}/moved`, eventTypes: ['credential.expired'] });
    expect(res.status).toBe(201);
    await queryAs(gw.db.ownerUrl, `update webhook_endpoints set url = 'http://169.254.169.254/latest/meta-data' where id = $1`, [res.body.id]);
    await gw.app.get(WebhookEvents).emit(vendorA, 'credential.expired', { credentialId: 'c-9' });
    const log = async () => (await request(gw.http).get(`/v1/webhooks/endpoints/${res.body.id}/deliveries`).set(as(keyA))).body.items;
    await until(async () => (await log())[0]?.log.length === 1);
    expect((await log())[0].log[0]).toMatchObject({
      outcome: 'failed',
      responseStatus: null,
      error: 'refused: the host resolves to a private or reserved address',
    });
  });

  it('maintenance hands a delivery whose job was lost back to the queue, and purges the log past its retention', async () => {
    const { id, secret } = await register('/lost');
    const owner = <T = Record<string, unknown>>(sql: string, params: unknown[]) => queryAs<T>(gw.db.ownerUrl, sql, params);
    // As if the queue had been down when the event committed: a pending delivery due two hours ago, with no job.
    const [event] = await owner<{ id: string }>(
      `insert into webhook_events (vendor_id, type, body) values ($1, 'credential.expiring', '{"type":"credential.expiring"}') returning id`,
      [vendorA],
    );
    const [lost] = await owner<{ id: string }>(
      `insert into webhook_deliveries (vendor_id, endpoint_id, event_id, next_attempt_at) values ($1, $2, $3, now() - interval '2 hours') returning id`,
      [vendorA, id, event!.id],
    );
    const [old] = await owner<{ id: string }>(
      `insert into webhook_events (vendor_id, type, body, created_at) values ($1, 'credential.expired', '{}', now() - interval '31 days') returning id`,
      [vendorA],
    );
    const result = await gw.app.get(WebhookMaintenanceJob).run();
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    expect(result.purged).toBeGreaterThanOrEqual(1);
    await until(() => at('/lost').length === 1);
    expect(at('/lost')[0]!.headers['webhook-id']).toBe(lost!.id);
    expect(verifiesWith(secret, at('/lost')[0]!.headers, at('/lost')[0]!.body)).toBe(true);
    expect(await owner(`select id from webhook_events where id = $1`, [old!.id])).toEqual([]);
    // Claimed: the next run leaves it to the job just added.
    expect((await gw.app.get(WebhookMaintenanceJob).run()).requeued).toBe(0);
  });

  it("keeps one vendor out of another's endpoints and deliveries", async () => {
    const { id } = await register('/private');
    await emit({ credentialId: 'c-8', daysLeft: 7 });
    await until(() => at('/private').length === 1);
    const deliveryId = (await request(gw.http).get(`/v1/webhooks/endpoints/${id}/deliveries`).set(as(keyA))).body.items[0].id;
    const listed = await request(gw.http).get('/v1/webhooks/endpoints').set(as(keyB));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
    for (const [method, path] of [
      ['get', `/v1/webhooks/endpoints/${id}`],
      ['get', `/v1/webhooks/endpoints/${id}/deliveries`],
      ['patch', `/v1/webhooks/endpoints/${id}`],
      ['post', `/v1/webhooks/endpoints/${id}/rotate-secret`],
      ['post', `/v1/webhooks/endpoints/${id}/deliveries/${deliveryId}/redeliver`],
      ['delete', `/v1/webhooks/endpoints/${id}`],
    ] as const) {
      const res = await request(gw.http)[method](path).set(as(keyB)).send(method === 'patch' ? { description: 'mine now' } : undefined);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    // B's events never reach A's endpoints.
    const before = at('/private').length;
    await gw.app.get(WebhookEvents).emit(vendorB, 'credential.expiring', { credentialId: 'b-1' });
    await new Promise((r) => setTimeout(r, 500));
    expect(at('/private').length).toBe(before);
    expect((await request(gw.http).get(`/v1/webhooks/endpoints/${id}`).set(as(keyA))).body.description).toBe('/private');
  });

  it('refuses a URL that is not http(s), with a 400 problem', async () => {
    const res = await request(gw.http).post('/v1/webhooks/endpoints').set(as(keyA)).send({ url: 'file:///etc/passwd', eventTypes: ['credential.expired'] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.validation' });
    const unknown = await request(gw.http).post('/v1/webhooks/endpoints').set(as(keyA)).send({ url: `${base}/x`, eventTypes: ['usi.created'] });
    expect(unknown.status).toBe(400);
  });
});
