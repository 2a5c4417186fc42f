import { createHash, createHmac } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService } from '@gateway/audit/audit.service';
import { canonicalJson } from '@gateway/audit/chain/canonical-json';
import { ChainKeyring } from '@gateway/audit/chain/chain-keyring';
import { asVendorId } from '@gateway/database/vendor-id';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

interface Row {
  id: string;
  chain_seq: string;
  prev_hash: string;
  hash: string;
  [k: string]: unknown;
}

describe('audit store', () => {
  let gw: GatewayTestApp;
  let audit: AuditService;
  let vendorId: string;
  let orgId: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    audit = gw.app.get(AuditService);
    vendorId = (await gw.newVendor()).id;
    orgId = (await gw.newOrganisation(vendorId)).id;
  });
  afterAll(() => gw?.close());

  const rows = (sql: string, params: unknown[] = []) => queryAs<Row>(gw.db.ownerUrl, sql, params);

  it('refuses UPDATE, DELETE and TRUNCATE to the application role', async () => {
    await audit.recordSecurityEvent({ type: 'test.event', vendorId: asVendorId(vendorId), organisationId: orgId });
    const asApp = (sql: string) =>
      queryAs(gw.db.appUrl, `select set_config('app.platform_scope', 'on', false); ${sql}`);
    await expect(asApp(`update audit_events set type = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`delete from audit_events`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`truncate audit_events`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`update audit_raw_exchanges set expires_at = now()`)).rejects.toThrow(/permission denied/);
    const [partition] = await rows(`select inhrelid::regclass::text as name from pg_inherits
      where inhparent = 'audit_events'::regclass limit 1`);
    await expect(asApp(`select * from ${partition.name as string}`)).rejects.toThrow(/permission denied/);
  });

  it('the trigger rejects UPDATE and DELETE even for the owner', async () => {
    await expect(rows(`update audit_events set type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(rows(`delete from audit_events`)).rejects.toThrow(/append-only/);
    await expect(rows(`truncate audit_events`)).rejects.toThrow(/append-only/);
  });

  it('chains concurrent appends without gaps, forks or bad hashes', async () => {
    const org = (await gw.newOrganisation(vendorId)).id;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        audit.recordSecurityEvent({ type: 'test.concurrent', vendorId: asVendorId(vendorId), organisationId: org, details: { i } }),
      ),
    );
    const chain = await rows(
      `select id, occurred_at, chain_id, chain_seq, vendor_id, organisation_id, category, type, request_id, actor,
        operation, outcome, http_status, error_code, usi_hmac, usi_masked, related_event_id, details, prev_hash, hash, key_id
       from audit_events where chain_id = $1 order by chain_seq`,
      [`org:${org}`],
    );
    expect(chain.map((r) => Number(r.chain_seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    let prev = '0'.repeat(64);
    for (const r of chain) {
      expect(r.prev_hash).toBe(prev);
      const record = {
        id: r.id,
        occurredAt: (r.occurred_at as Date).toISOString(),
        chainId: r.chain_id,
        chainSeq: Number(r.chain_seq),
        vendorId: r.vendor_id,
        organisationId: r.organisation_id,
        category: r.category,
        type: r.type,
        requestId: r.request_id,
        actor: r.actor,
        operation: r.operation,
        outcome: r.outcome,
        httpStatus: r.http_status,
        errorCode: r.error_code,
        usiHmac: r.usi_hmac,
        usiMasked: r.usi_masked,
        relatedEventId: r.related_event_id,
        details: r.details,
      };
      // Recomputed independently of the repository: HMAC-SHA256(chain key, prev_hash ‖ canonical JSON), and not
      // the unkeyed SHA-256 that anyone with the rows could recompute.
      const { current } = gw.app.get(ChainKeyring);
      expect(r.key_id).toBe(current.id);
      expect(r.hash).toBe(createHmac('sha256', current.key).update(prev + canonicalJson(record)).digest('hex'));
      expect(r.hash).not.toBe(createHash('sha256').update(prev + canonicalJson(record)).digest('hex'));
      prev = r.hash;
    }
    expect(new Set(chain.map((r) => (r.details as { i: number }).i)).size).toBe(40);
  });

  it('hides vendor rows from other vendors and platform rows from every vendor', async () => {
    const other = (await gw.newVendor()).id;
    await audit.recordSecurityEvent({ type: 'test.platform' });
    await audit.recordSecurityEvent({ type: 'test.other', vendorId: asVendorId(other) });
    const ds = await new DataSource({ type: 'postgres', url: gw.db.appUrl, extra: { max: 1 } }).initialize();
    try {
      const visible = await ds.transaction(async (m) => {
        await m.query(`select set_config('app.vendor_id', $1, true)`, [other]);
        return m.query(`select vendor_id, type from audit_events`);
      });
      expect(visible).toEqual([{ vendor_id: other, type: 'test.other' }]);
    } finally {
      await ds.destroy();
    }
  });

  it('records inbound requests, successful and rejected, before the response', async () => {
    const key = await gw.newApiKey(vendorId);
    const ok = await request(gw.http).get('/v1/auth/me').set('Authorization', `Bearer ${key.key}`).expect(200);
    const denied = await request(gw.http).get('/v1/organisations').set('Authorization', 'Bearer usi_nope').expect(401);
    const [okRow] = await rows(`select * from audit_events where request_id = $1`, [ok.headers['x-request-id']]);
    expect(okRow).toMatchObject({ category: 'inbound', http_status: 200, outcome: 'success', actor: `api_key:${key.id}` });
    expect(okRow.details).toMatchObject({ method: 'GET', route: '/v1/auth/me', actorKind: 'api_key' });
    const [deniedRow] = await rows(`select * from audit_events where request_id = $1`, [denied.headers['x-request-id']]);
    expect(deniedRow).toMatchObject({ http_status: 401, error_code: 'auth.invalid_api_key', vendor_id: null, chain_id: 'platform' });
  });
});
