import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

describe('security events', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let auth: { Authorization: string };
  let adminKeyId: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorId = (await gw.newVendor()).id;
    const key = await gw.newApiKey(vendorId, { scopes: ['admin', 'usi:verify'] });
    adminKeyId = key.id;
    auth = { Authorization: `Bearer ${key.key}` };
  });
  afterAll(() => gw?.close());

  const eventsOf = (type: string) =>
    queryAs<{ vendor_id: string | null; organisation_id: string | null; actor: string | null; details: Record<string, unknown> }>(
      gw.db.ownerUrl,
      `select vendor_id, organisation_id, actor, details from audit_events where type = $1 order by chain_seq`,
      [type],
    );

  it('records logins and failed logins without the email tried', async () => {
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    await gw.login(user.email, user.password);
    await request(gw.http).post('/v1/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    await request(gw.http).post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'x' }).expect(401);
    expect(await eventsOf('auth.login')).toEqual([expect.objectContaining({ vendor_id: vendorId, details: expect.objectContaining({ userId: user.id }) })]);
    // A wrong email has no account to record it on: it is counted with its address's other failures (auth.failures).
    const failed = await eventsOf('auth.login_failed');
    expect(failed.map((e) => [e.vendor_id, e.details.userId, e.details.consecutiveFailures])).toEqual([[vendorId, user.id, 1]]);
    const all = JSON.stringify(await queryAs(gw.db.ownerUrl, `select * from audit_events`));
    expect(all).not.toContain(user.email);
    expect(all).not.toContain('nobody@example.test');
  });

  it('records API key creation and revocation with the acting key', async () => {
    const created = await request(gw.http).post('/v1/api-keys').set(auth).send({ name: 'ci', scopes: ['usi:verify'] }).expect(201);
    await request(gw.http).post(`/v1/api-keys/${created.body.id}/revoke`).set(auth).expect(200);
    const [create] = (await eventsOf('api_key.created')).filter((e) => e.details.apiKeyId === created.body.id);
    expect(create).toMatchObject({ vendor_id: vendorId, actor: `api_key:${adminKeyId}` });
    expect(JSON.stringify(create)).not.toContain(created.body.key);
    expect(await eventsOf('api_key.revoked')).toEqual([
      expect.objectContaining({ actor: `api_key:${adminKeyId}`, details: { apiKeyId: created.body.id } }),
    ]);
  });

  it('records authorisation changes, software ID regeneration included, on the organisation chain', async () => {
    const org = await gw.newOrganisation(vendorId);
    const base = `/v1/organisations/${org.orgCode}/authorisations`;
    const { body } = await request(gw.http).post(base).set(auth).send({ startDate: '2026-01-01' }).expect(201);
    await request(gw.http).post(`${base}/${body.id}/activate`).set(auth).send({ force: true, reason: 'test' }).expect(200);
    await request(gw.http).post(`${base}/${body.id}/regenerate-software-id`).set(auth).expect(200);
    const rows = await queryAs<{ type: string; organisation_id: string; chain_id: string }>(
      gw.db.ownerUrl,
      `select type, organisation_id, chain_id from audit_events where category = 'security' and organisation_id = $1 order by chain_seq`,
      [org.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['authorisation.created', 'authorisation.activate', 'authorisation.regenerate']);
    expect(new Set(rows.map((r) => r.chain_id))).toEqual(new Set([`org:${org.id}`]));
  });
});
