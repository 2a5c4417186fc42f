import request from 'supertest';
import { RawExchangeStore } from '@gateway/audit/raw/raw-exchange.store';
import { AuditMaintenance } from '@gateway/audit/jobs/audit-maintenance.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { queryAs } from '../../support/test-database';
import { MARYAM, usiRoutes } from '../usi/support/usi-requests';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

describe('raw SOAP retention (AUDIT_RAW_RETENTION_DAYS=30)', () => {
  let env: UsiTestEnv;
  let vendor: Awaited<ReturnType<UsiTestEnv['newVendor']>>;
  let vendorId: string;
  let organisationId: string;
  let routes: ReturnType<typeof usiRoutes>;
  const sessions: Record<string, { Cookie: string }> = {};

  beforeAll(async () => {
    env = await createUsiTestEnv({ AUDIT_RAW_RETENTION_DAYS: '30' });
    vendor = await env.newVendor();
    vendorId = vendor.id;
    const { organisation } = await env.newOrganisation(vendor);
    organisationId = organisation.id;
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    for (const [name, roles, vendorOf] of [
      ['platformAdmin', ['platform_admin'], null],
      ['platformSupport', ['platform_support'], null],
      ['vendorSupport', ['support'], vendorId],
      ['vendorAdmin', ['vendor_admin'], vendorId],
    ] as const) {
      const user = await env.gw.newUser({ vendorId: vendorOf, roles: [...roles] });
      sessions[name] = { Cookie: await env.gw.login(user.email, user.password) };
    }
  }, 60_000);
  afterAll(() => env?.close());

  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);
  const exchangeOf = async (requestId: string) =>
    (await owner<{ id: string }>(`select id from audit_events where request_id = $1 and type = 'started' and operation = 'VerifyUSI'`, [requestId]))[0].id;

  it('keeps each USI exchange encrypted: no USI, name or date of birth in the table', async () => {
    const res = await routes.verify().expect(200);
    const exchangeId = await exchangeOf(res.headers['x-request-id']);
    const rows = await owner(`select * from audit_raw_exchanges`);
    expect(rows).toEqual([expect.objectContaining({ exchange_id: exchangeId, vendor_id: vendorId, organisation_id: organisationId, operation: 'VerifyUSI' })]);
    const stored = JSON.stringify(rows);
    for (const value of [MARYAM.usi, MARYAM.firstName, MARYAM.familyName, MARYAM.dateOfBirth, 'Envelope']) expect(stored).not.toContain(value);
  });

  it('lets a platform admin decrypt one exchange, on the record of its organisation; nobody else, platform support and the vendor’s own support included', async () => {
    const res = await routes.verify().expect(200);
    const exchangeId = await exchangeOf(res.headers['x-request-id']);
    const url = `/v1/audit/raw-exchanges/${exchangeId}`;
    const { body } = await request(env.gw.http).get(url).set(sessions.platformAdmin).expect(200);
    expect(body).toMatchObject({ exchangeId, vendorId, organisationId, operation: 'VerifyUSI', requestId: res.headers['x-request-id'] });
    expect(body.requestXml).toContain(MARYAM.familyName);
    expect(body.requestXml).toContain(MARYAM.usi);
    expect(body.responseXml).toContain('Valid');
    const [read] = await owner<{ organisation_id: string; actor: string; details: Record<string, unknown> }>(
      `select organisation_id, actor, details from audit_events where type = 'audit.raw_exchange_read'`,
    );
    expect(read).toMatchObject({ organisation_id: organisationId, details: { exchangeId } });
    expect(read.actor).toMatch(/^user:/);

    await request(env.gw.http).get(url).set(sessions.platformSupport).expect(403);
    await request(env.gw.http).get(url).set(sessions.vendorAdmin).expect(403);
    await request(env.gw.http).get(url).set(sessions.vendorSupport).expect(403);
    await request(env.gw.http).get(url).set('Authorization', `Bearer ${await env.newKey(vendor, ['audit:read'])}`).expect(403);
    await request(env.gw.http).get('/v1/audit/raw-exchanges/00000000-0000-4000-8000-000000000000').set(sessions.platformAdmin).expect(404);
    // One audited view per read that returned the XML: the refused ones left nothing.
    expect(await owner(`select id from audit_events where type = 'audit.raw_exchange_read'`)).toHaveLength(1);
  });

  it('links each retained exchange from the story of its request for a platform admin only', async () => {
    const res = await routes.verify().expect(200);
    const requestId = res.headers['x-request-id'];
    const exchangeId = await exchangeOf(requestId);
    const story = (who: Record<string, string>) => request(env.gw.http).get(`/v1/audit/requests/${requestId}`).set(who).expect(200);
    const admin = (await story(sessions.platformAdmin)).body as { exchanges: { exchangeId: string; kind: string; rawExchange?: string }[] };
    expect(admin.exchanges.filter((x) => x.rawExchange)).toEqual([
      expect.objectContaining({ exchangeId, kind: 'usi', rawExchange: `/v1/audit/raw-exchanges/${exchangeId}` }),
    ]);
    for (const who of [sessions.platformSupport, sessions.vendorSupport, sessions.vendorAdmin]) {
      const body = (await story(who)).body as { exchanges: { rawExchange?: string }[] };
      expect(body.exchanges.length).toBe(admin.exchanges.length);
      expect(body.exchanges.some((x) => x.rawExchange)).toBe(false);
    }
    // Following the link is the audited view.
    const before = (await owner(`select id from audit_events where type = 'audit.raw_exchange_read'`)).length;
    await request(env.gw.http).get(admin.exchanges.find((x) => x.rawExchange)!.rawExchange!).set(sessions.platformAdmin).expect(200);
    expect(await owner(`select id from audit_events where type = 'audit.raw_exchange_read'`)).toHaveLength(before + 1);
  });

  it('rejects UPDATE (privilege for the application role, trigger for the owner); the purge deletes expired rows only and is itself audited', async () => {
    await expect(
      queryAs(env.gw.db.appUrl, `select set_config('app.platform_scope', 'on', false); update audit_raw_exchanges set operation = 'x'`),
    ).rejects.toThrow(/permission denied/);
    await expect(owner(`update audit_raw_exchanges set operation = 'x'`)).rejects.toThrow(/never changed/);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const expiredId = '11111111-1111-4111-8111-111111111111';
    await env.gw.app.get(RawExchangeStore).store(
      { exchangeId: expiredId, vendorId: asVendorId(vendorId), organisationId, requestId: 'old', operation: 'VerifyUSI', requestXml: '<a/>', responseXml: null },
      old,
    );
    const kept = Number((await owner<{ n: string }>(`select count(*) n from audit_raw_exchanges`))[0].n) - 1;
    const purge = await env.gw.app.get(AuditMaintenance).purgeRawExchanges();
    expect(purge).toMatchObject({ deleted: 1 });
    expect(await owner(`select exchange_id from audit_raw_exchanges where exchange_id = $1`, [expiredId])).toEqual([]);
    expect(Number((await owner<{ n: string }>(`select count(*) n from audit_raw_exchanges`))[0].n)).toBe(kept);
    const [event] = await owner<{ vendor_id: string | null; details: Record<string, unknown> }>(
      `select vendor_id, details from audit_events where type = 'audit.raw_exchanges_purged'`,
    );
    expect(event).toEqual({ vendor_id: null, details: expect.objectContaining({ deleted: 1, retentionDays: 30, oldest: expect.any(String) }) });
    await expect(env.gw.app.get(AuditMaintenance).purgeRawExchanges()).resolves.toEqual({ deleted: 0 });
  });
});
