import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '@gateway/audit/audit.service';
import { TenantTransaction } from '@gateway/database/tenant-transaction.service';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { AuthorisationRepository } from '@gateway/tenancy/authorisations/authorisation.repository';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';

/**
 * Issue 13 §7a: the isolation suites go through services that all filter by vendor, so they stay green even if
 * `runInTenant` stopped scoping the transaction (say, it switched the platform scope on). This suite asks the
 * database directly, through the gateway's own TenantTransaction: inside vendor A's transaction a query WITHOUT a
 * vendor filter must see none of vendor B's rows in any tenant table, and writing B's rows must fail.
 */
describe("runInTenant: the database itself keeps one vendor's transaction out of another's rows", () => {
  let gw: GatewayTestApp;
  let tx: TenantTransaction;
  let a: VendorId;
  let b: VendorId;
  let tenantTables: { table: string; column: string }[];

  beforeAll(async () => {
    gw = await createGatewayApp();
    tx = gw.app.get(TenantTransaction);
    a = asVendorId((await gw.newVendor()).id);
    b = asVendorId((await gw.newVendor()).id);
    for (const vendorId of [a, b]) await seedEveryTenantTable(vendorId);
    tenantTables = await queryAs(
      gw.db.ownerUrl,
      `select c.relname as "table", case when c.relname = 'vendors' then 'id' else 'vendor_id' end as "column"
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and c.relrowsecurity
          and (c.relname = 'vendors' or exists (select 1 from pg_attribute x
                where x.attrelid = c.oid and x.attname = 'vendor_id' and not x.attisdropped))
        order by 1`,
    );
  }, 60_000);
  afterAll(() => gw?.close());

  /** Through the real services where there is one, plain SQL as the owner where rows only come from USI traffic. */
  async function seedEveryTenantTable(vendorId: VendorId): Promise<void> {
    const org = await gw.newOrganisation(vendorId);
    await gw.app.get(AuthorisationRepository).create(vendorId, org.id, { startDate: '2026-01-01' });
    await gw.newApiKey(vendorId);
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    await gw.login(user.email, user.password);
    await gw.app.get(AuditService).recordSecurityEvent({ type: 'test.rls', vendorId, organisationId: org.id });
    const owner = (sql: string, params: unknown[]) => queryAs(gw.db.ownerUrl, sql, params);
    await owner(
      `insert into idempotency_keys (vendor_id, key, request_hash, status, expires_at)
       values ($1, 'rls', repeat('0', 64), 'in_progress', now() + interval '1 day')`,
      [vendorId],
    );
    await owner(
      `insert into m2m_credentials (vendor_id, credential_id, abn, legal_name, serial_number, sha1_fingerprint, not_before,
         not_after, certificate_chain, encrypted_private_key, key_provider, created_by)
       values ($1, 'ABRD:rls', '11000002568', 'RLS', '1', 'ff', now(), now() + interval '1 year', 'x', '{}', 'local', 'test')`,
      [vendorId],
    );
    await owner(
      `insert into email_outbox (vendor_id, to_address, subject, text_body, template) values ($1, 'rls@example.test', 'RLS', 'RLS', 'test.rls')`,
      [vendorId],
    );
    await owner(
      `insert into credential_expiry_warnings (credential_id, vendor_id, days_before, sent_at)
       select id, vendor_id, 60, now() from m2m_credentials where vendor_id = $1 and credential_id = 'ABRD:rls'`,
      [vendorId],
    );
    const [endpoint] = await owner(
      `insert into webhook_endpoints (vendor_id, url, event_types, secret_envelope, created_by)
       values ($1, 'https://hooks.example.test/rls', '{credential.expiring}', '{}', 'test') returning id`,
      [vendorId],
    );
    const [event] = await owner(`insert into webhook_events (vendor_id, type, body) values ($1, 'credential.expiring', '{}') returning id`, [vendorId]);
    const [delivery] = await owner(`insert into webhook_deliveries (vendor_id, endpoint_id, event_id) values ($1, $2, $3) returning id`, [
      vendorId,
      endpoint!.id,
      event!.id,
    ]);
    await owner(
      `insert into webhook_delivery_attempts (vendor_id, delivery_id, endpoint_id, attempt, outcome, duration_ms, started_at)
       values ($1, $2, $3, 1, 'failed', 1, now())`,
      [vendorId, delivery!.id, endpoint!.id],
    );
    await owner(
      `insert into user_tokens (token_hash, purpose, vendor_id, organisation_id, email, role, expires_at)
       values (encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'team_invitation', $1, $2, 'rls@example.test', 'provider_viewer', now() + interval '1 day')`,
      [vendorId, org.id],
    );
    await owner(
      `insert into connection_test_attempts (vendor_id, authorisation_id, software_id, tested_at, ok, environment)
       select vendor_id, id, software_id, now(), false, 'sim' from authorisations where vendor_id = $1`,
      [vendorId],
    );
    await owner(
      `insert into audit_raw_exchanges (exchange_id, vendor_id, operation, expires_at, envelope)
       values ($2, $1, 'VerifyUSI', now() + interval '1 day', '{}')`,
      [vendorId, randomUUID()],
    );
    await owner(
      `with j as (insert into verification_jobs (vendor_id, organisation_id, org_code, environment, state)
                  values ($1, $2, $3, 'sim', 'queued') returning id)
       insert into verification_job_batches (job_id, vendor_id, batch_no, first_row, row_count) select id, $1, 1, 1, 1 from j`,
      [vendorId, org.id, org.orgCode],
    );
    await owner(
      `with j as (insert into creation_jobs (vendor_id, organisation_id, org_code, environment, state)
                  values ($1, $2, $3, 'sim', 'queued') returning id)
       insert into creation_job_batches (job_id, vendor_id, batch_no, first_row, row_count, receipt_number) select id, $1, 1, 1, 1, 'r' from j`,
      [vendorId, org.id, org.orgCode],
    );
  }

  const vendorsIn = (m: EntityManager, t: { table: string; column: string }) =>
    m.query(`select distinct ${t.column}::text as v from ${t.table} where ${t.column} is not null order by 1`).then((rows: { v: string }[]) => rows.map((r) => r.v));

  it('has rows of both vendors in every tenant table (else the checks below prove nothing)', async () => {
    expect(tenantTables.length).toBeGreaterThanOrEqual(10);
    const missing: string[] = [];
    for (const t of tenantTables) {
      const rows = await queryAs<{ v: string }>(gw.db.ownerUrl, `select distinct ${t.column}::text as v from ${t.table} where ${t.column} = any($1)`, [[a, b]]);
      if (rows.length !== 2) missing.push(t.table);
    }
    expect(missing).toEqual([]);
  });

  it("sees only vendor A's rows in every tenant table, with no vendor filter in the query", async () => {
    const seen = await tx.runInTenant(a, async (m) => {
      const out: Record<string, string[]> = {};
      for (const t of tenantTables) out[t.table] = await vendorsIn(m, t);
      return out;
    });
    expect(seen).toEqual(Object.fromEntries(tenantTables.map((t) => [t.table, [a]])));
  });

  it("refuses to insert a row for vendor B, and changes none of B's rows", async () => {
    await expect(
      tx.runInTenant(a, (m) =>
        m.query(`insert into organisations (vendor_id, org_code, abn, legal_name, kind) values ($1, 'RLSB1', '51824753556', 'x', 'RTO')`, [b]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      tx.runInTenant(a, (m) =>
        m.query(`insert into api_keys (vendor_id, name, prefix, key_hash, scopes, created_by) values ($1, 'x', 'p', repeat('1', 64), '{admin}', 't')`, [b]),
      ),
    ).rejects.toThrow(/row-level security/);
    const changed = await tx.runInTenant(a, async (m) => {
      const [, orgs] = await m.query(`update organisations set legal_name = 'hijacked' where vendor_id = $1`, [b]);
      const [, keys] = await m.query(`update api_keys set revoked_at = now() where vendor_id = $1`, [b]);
      const [, users] = await m.query(`delete from users where vendor_id = $1`, [b]);
      return { orgs, keys, users };
    });
    expect(changed).toEqual({ orgs: 0, keys: 0, users: 0 });
  });

  it('leaves nothing behind for the next transaction on the pool', async () => {
    await tx.runInTenant(a, (m) => m.query('select 1'));
    const rows = await tx.runUnscoped((m) => m.query(`select count(*)::int as n from organisations`));
    expect(rows).toEqual([{ n: 0 }]);
  });
});
