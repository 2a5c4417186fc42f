import { Logger } from '@nestjs/common';
import request from 'supertest';
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
  const auths: Record<string, string> = {};

  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(gw.db.ownerUrl, sql, params);
  const credential = async (vendorId: string, notAfter: Date, status = 'active') =>
    (
      await owner<{ id: string }>(
        `insert into m2m_credentials (vendor_id, credential_id, abn, legal_name, serial_number, sha1_fingerprint, not_before,
           not_after, certificate_chain, encrypted_private_key, key_provider, status, created_by)
         values ($1, 'ABRD:11000002568_X', '11000002568', 'X', '1', 'f', $2, $3, 'pem', '{}', 'local', $4, 'test') returning id`,
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
    await credential(vendorW, days(40));
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

  it('marks and warns about an expiring credential once, expires ended authorisations, and sets the gauge', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const first = await service.sweep();
    expect(first.newlyWarned.map((c) => c.id)).toEqual([soon]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`vendor ${vendorV} expires on ${days(10).toISOString()} (10 days)`));
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
});
