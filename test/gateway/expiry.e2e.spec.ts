import { Logger } from '@nestjs/common';
import request from 'supertest';
import { AuditService } from '@gateway/audit/audit.service';
import { ExpiryRepository } from '@gateway/expiry/expiry.repository';
import { ExpiryScheduler } from '@gateway/expiry/expiry.scheduler';
import { ExpiryService } from '@gateway/expiry/expiry.service';
import { MetricsService } from '@gateway/metrics/metrics.service';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';

const NOW = new Date('2030-01-01T00:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

describe('expiry sweep: credential warnings, expiry gauge, authorisations past their end date', () => {
  let gw: GatewayTestApp;
  let service: ExpiryService;
  let vendorV: string;
  let vendorW: string;
  let soon: string;
  let later: string;
  const auths: Record<string, string> = {};

  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(gw.db.ownerUrl, sql, params);
  const credential = async (vendorId: string, notAfter: Date, status = 'active') =>
    (
      await owner<{ id: string }>(
        `insert into m2m_credentials (vendor_id, credential_id, abn, legal_name, serial_number, sha1_fingerprint, not_before,
           not_after, certificate_chain, encrypted_private_key, key_provider, status, activated_at, created_by)
         values ($1, 'ABRD:11000002568_X', '11000002568', 'X', '1', 'f', $2, $3, 'pem', '{}', 'local', $4,
           case when $4 <> 'pending' then now() end, 'test') returning id`,
        [vendorId, days(-365), notAfter, status],
      )
    )[0].id;

  beforeAll(async () => {
    gw = await createGatewayApp();
    // The start-up sweep must finish (and the interval stop) before rows appear, or it would race the assertions.
    await gw.app.get(ExpiryScheduler).onApplicationShutdown();
    vendorV = (await gw.newVendor()).id;
    vendorW = (await gw.newVendor()).id;
    soon = await credential(vendorV, days(10));
    await credential(vendorV, days(5), 'superseded');
    later = await credential(vendorW, days(40));
    const org = await gw.newOrganisation(vendorV);
    const rows: [string, string | null, string][] = [
      ['ended', '2029-12-31', 'active'],
      ['endsToday', '2030-01-01', 'active'],
      ['openEnded', null, 'active'],
      ['revoked', '2029-06-30', 'revoked'],
      ['pendingEnded', '2029-12-31', 'pending'],
    ];
    for (const [name, endDate, status] of rows) {
      const [{ id }] = await owner<{ id: string }>(
        `insert into authorisations (vendor_id, organisation_id, software_id, start_date, end_date, status)
         values ($1, $2, lpad((floor(random() * 1e10))::bigint::text, 10, '0'), '2029-01-01', $3, $4) returning id`,
        [vendorV, org.id, endDate, status],
      );
      auths[name] = id;
    }
    service = new ExpiryService(gw.app.get(ExpiryRepository), gw.app.get(MetricsService), () => NOW);
  }, 60000);
  afterAll(() => gw?.close());
  afterEach(() => jest.restoreAllMocks());

  it('finds the active credentials expiring within the window only', async () => {
    expect((await service.findExpiring(30)).map((c) => c.id)).toEqual([soon]);
    expect(await service.findExpiring(5)).toEqual([]);
    expect((await service.findExpiring(45)).map((c) => c.vendorId)).toEqual([vendorV, vendorW]);
  });

  it('marks and warns about expiring credentials once, expires ended authorisations, and sets the gauge', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const first = await service.sweep();
    // 10 days left: the 30-day warning; 40 days left: the 60-day one.
    expect(first.newlyWarned.map((c) => [c.id, c.daysBefore])).toEqual([
      [soon, 30],
      [later, 60],
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`vendor ${vendorV} expires on ${days(10).toISOString()} (10 days)`));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`GET /v1/credentials/${soon}/renewal`));
    const [{ warned }] = await owner<{ warned: Date | null }>(`select expiry_warned_at as warned from m2m_credentials where id = $1`, [soon]);
    expect(warned).toEqual(NOW);
    expect(first.expiredAuthorisations.map((a) => a.id).sort()).toEqual([auths.ended, auths.pendingEnded].sort());

    const statuses = Object.fromEntries(
      (await owner<{ id: string; status: string }>(`select id, status from authorisations`)).map((r) => [r.id, r.status]),
    );
    expect(statuses).toEqual({
      [auths.ended]: 'expired',
      [auths.endsToday]: 'active',
      [auths.openEnded]: 'active',
      [auths.revoked]: 'revoked',
      [auths.pendingEnded]: 'expired',
    });

    const metrics = (await request(gw.http).get('/metrics').expect(200)).text;
    expect(metrics).toContain(`credential_expires_in_seconds{vendor_id="${vendorV}"} ${10 * 86_400}`);
    expect(metrics).toContain(`credential_expires_in_seconds{vendor_id="${vendorW}"} ${40 * 86_400}`);

    warn.mockClear();
    const second = await service.sweep();
    expect(second).toEqual({ newlyWarned: [], expiredAuthorisations: [] });
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns at 60, 30, 7 and 1 days before notAfter, each once, as the clock moves (log, audit event)', async () => {
    const vendor = (await gw.newVendor()).id;
    const notAfter = days(100);
    const id = await credential(vendor, notAfter);
    let now = NOW;
    const sweeper = new ExpiryService(gw.app.get(ExpiryRepository), gw.app.get(MetricsService), () => now, gw.app.get(AuditService));
    const sentFor = async (at: Date) => {
      now = at;
      const mine = (await sweeper.sweep()).newlyWarned.filter((c) => c.id === id).map((c) => c.daysBefore);
      const again = (await sweeper.sweep()).newlyWarned.filter((c) => c.id === id);
      expect(again).toEqual([]);
      return mine;
    };
    const before = (n: number) => new Date(notAfter.getTime() - n * 86_400_000);
    const timeline: [Date, number[]][] = [
      [before(61), []],
      [before(60), [60]],
      [before(45), []],
      [before(30), [30]],
      [before(29.5), []],
      [before(7), [7]],
      [before(3), []],
      [before(0.9), [1]],
      [before(0.1), []],
      [before(-1), []], // expired: no more warnings (calls now fail fast with credential.expired)
    ];
    for (const [at, expected] of timeline) expect(await sentFor(at)).toEqual(expected);

    const sent = await owner<{ days_before: number }>(
      `select days_before from credential_expiry_warnings where credential_id = $1 order by days_before desc`,
      [id],
    );
    expect(sent.map((r) => r.days_before)).toEqual([60, 30, 7, 1]);
    const events = await owner<{ details: { daysBefore: number } }>(
      `select details from audit_events where type = 'credential.expiry_warning' and details ->> 'credentialId' = $1 order by chain_seq`,
      [id],
    );
    expect(events.map((e) => e.details.daysBefore)).toEqual([60, 30, 7, 1]);
  });

  it('two sweeps racing (two instances) send each warning once', async () => {
    const vendor = (await gw.newVendor()).id;
    const id = await credential(vendor, days(5));
    const results = await Promise.all([service.sweep(), service.sweep(), service.sweep()]);
    expect(results.flatMap((r) => r.newlyWarned.filter((c) => c.id === id).map((c) => c.daysBefore))).toEqual([7]);
  });
});
