import request from 'supertest';
import { AuditService } from '@gateway/audit/audit.service';
import { UserRole } from '@gateway/common/request-context/principal';
import { asVendorId } from '@gateway/database/vendor-id';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

const USI = 'BNGH7C75FN';

describe('audit review API', () => {
  let gw: GatewayTestApp;
  let vendorA: string;
  let vendorB: string;
  let a1: Organisation;
  let a2: Organisation;
  let b1: Organisation;
  const headers: Record<string, Record<string, string>> = {};

  const sessionFor = async (vendorId: string | null, roles: UserRole[], organisationId?: string) => {
    const user = await gw.newUser({ vendorId, roles, organisationId });
    return { Cookie: await gw.login(user.email, user.password) };
  };
  const keyFor = async (vendorId: string, scopes: ('audit:read' | 'usi:verify')[], organisationIds?: string[]) => ({
    Authorization: `Bearer ${(await gw.newApiKey(vendorId, { scopes, organisationIds })).key}`,
  });
  const events = (who: string, query: Record<string, string> = {}) =>
    request(gw.http).get('/v1/audit/events').query({ limit: '200', category: 'security', ...query }).set(headers[who]);

  beforeAll(async () => {
    gw = await createGatewayApp();
    vendorA = (await gw.newVendor()).id;
    vendorB = (await gw.newVendor()).id;
    [a1, a2, b1] = await Promise.all([gw.newOrganisation(vendorA), gw.newOrganisation(vendorA), gw.newOrganisation(vendorB)]);
    const audit = gw.app.get(AuditService);
    for (const [vendorId, org] of [[vendorA, a1], [vendorA, a2], [vendorB, b1]] as const) {
      await audit.recordSecurityEvent({ type: 'test.seeded', vendorId: asVendorId(vendorId), organisationId: org.id });
    }
    const observer = audit.exchangeObserver({
      requestId: 'req-a1-verify',
      vendorId: asVendorId(vendorA),
      organisationId: a1.id,
      environment: 'sim',
      usi: USI,
    });
    await observer.started({ id: '6f2c1b1e-4a57-4f0e-9b0a-0d4c1f7e2a11', kind: 'usi', operation: 'VerifyUSI', endpoint: 'http://sim/usi', attempt: 1, requestSha256: 'a'.repeat(64) });
    await observer.finished({ id: '6f2c1b1e-4a57-4f0e-9b0a-0d4c1f7e2a11', kind: 'usi', operation: 'VerifyUSI', durationMs: 12.5, outcome: 'completed', httpStatus: 200, responseSha256: 'b'.repeat(64) });

    headers.support = await sessionFor(vendorA, ['support']);
    headers.platformSupport = await sessionFor(null, ['platform_support']);
    headers.platformAdmin = await sessionFor(null, ['platform_admin']);
    headers.vendorAdminA = await sessionFor(vendorA, ['vendor_admin']);
    headers.providerAdminA1 = await sessionFor(vendorA, ['provider_admin'], a1.id);
    headers.providerUserA1 = await sessionFor(vendorA, ['provider_viewer'], a1.id);
    headers.keyA = await keyFor(vendorA, ['audit:read']);
    headers.keyA1Only = await keyFor(vendorA, ['audit:read'], [a1.id]);
    headers.keyNoScope = await keyFor(vendorA, ['usi:verify']);
    headers.anonymous = {};
  });
  afterAll(() => gw?.close());

  const seededOrgs = (body: { items: { type: string; organisationId: string }[] }) =>
    body.items.filter((e) => e.type === 'test.seeded').map((e) => e.organisationId).sort();

  it.each([
    ['platformSupport', () => [a1.id, a2.id, b1.id]],
    ['platformAdmin', () => [a1.id, a2.id, b1.id]],
    ['support', () => [a1.id, a2.id]],
    ['vendorAdminA', () => [a1.id, a2.id]],
    ['keyA', () => [a1.id, a2.id]],
    ['providerAdminA1', () => [a1.id]],
    ['keyA1Only', () => [a1.id]],
  ])('%s sees exactly its own organisations', async (who, expected) => {
    const res = await events(who).expect(200);
    expect(seededOrgs(res.body)).toEqual(expected().sort());
  });

  it.each([
    ['providerUserA1', 403, 'auth.forbidden_scope'],
    ['keyNoScope', 403, 'auth.forbidden_scope'],
    ['anonymous', 401, 'auth.unauthenticated'],
  ])('%s is refused', async (who, status, code) => {
    const res = await events(who);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  });

  it('answers 404 for an organisation outside the caller’s reach', async () => {
    expect((await events('vendorAdminA', { organisation: b1.orgCode })).body.code).toBe('organisation.not_found');
    expect((await events('providerAdminA1', { organisation: a2.orgCode })).body.code).toBe('organisation.not_found');
    // A vendor's support sees that vendor's tenants only; the platform operator's support reads across vendors.
    expect((await events('support', { organisation: b1.orgCode })).body.code).toBe('organisation.not_found');
    const res = await events('platformSupport', { organisation: b1.orgCode }).expect(200);
    expect(seededOrgs(res.body)).toEqual([b1.id]);
  });

  describe('an org code two vendors registered (unique per vendor)', () => {
    let sharedA: Organisation;
    let sharedB: Organisation;
    beforeAll(async () => {
      const orgCode = `SHR${Date.now().toString(36).toUpperCase()}`;
      sharedA = await gw.newOrganisation(vendorA, { orgCode });
      sharedB = await gw.newOrganisation(vendorB, { orgCode: orgCode.toLowerCase() });
      const audit = gw.app.get(AuditService);
      for (const [vendorId, org] of [[vendorA, sharedA], [vendorB, sharedB]] as const) {
        await audit.recordSecurityEvent({ type: 'test.seeded', vendorId: asVendorId(vendorId), organisationId: org.id });
      }
    });

    it("a vendor's search by that code finds its own registration only", async () => {
      expect(seededOrgs((await events('vendorAdminA', { organisation: sharedA.orgCode }).expect(200)).body)).toEqual([sharedA.id]);
      expect(seededOrgs((await events('keyA', { organisation: sharedB.orgCode }).expect(200)).body)).toEqual([sharedA.id]);
    });

    it('staff find every registration, or one when they name the vendor', async () => {
      expect(seededOrgs((await events('platformSupport', { organisation: sharedA.orgCode }).expect(200)).body)).toEqual([sharedA.id, sharedB.id].sort());
      expect(seededOrgs((await events('platformSupport', { organisation: sharedA.orgCode, vendor: vendorB }).expect(200)).body)).toEqual([sharedB.id]);
    });

    it('verify: a vendor gets its own chain; staff must name the vendor', async () => {
      const own = await request(gw.http).get('/v1/audit/verify').query({ organisation: sharedA.orgCode }).set(headers.vendorAdminA).expect(200);
      expect(own.body).toMatchObject({ ok: true, chainId: `org:${sharedA.id}` });
      const ambiguous = await request(gw.http).get('/v1/audit/verify').query({ organisation: sharedA.orgCode }).set(headers.platformSupport);
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.body).toMatchObject({ code: 'organisation.ambiguous' });
      expect([...ambiguous.body.vendorIds].sort()).toEqual([vendorA, vendorB].sort());
      const named = await request(gw.http)
        .get('/v1/audit/verify')
        .query({ organisation: sharedA.orgCode, vendor: vendorB })
        .set(headers.platformSupport)
        .expect(200);
      expect(named.body).toMatchObject({ ok: true, chainId: `org:${sharedB.id}` });
    });
  });

  it('records staff searches, with the USI masked, and not vendor searches', async () => {
    await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(headers.platformSupport).expect(200);
    await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(headers.vendorAdminA).expect(200);
    await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(headers.support).expect(200);
    const rows = await queryAs<{ actor: string; details: { filters: Record<string, unknown> } }>(
      gw.db.ownerUrl,
      `select actor, details from audit_events where type = 'audit.searched' and details->'filters'->>'usi' is not null`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].details.filters.usi).toBe('BN******FN');
    expect(JSON.stringify(rows)).not.toContain(USI);
  });

  it('finds exchanges by exact USI and pages with a cursor', async () => {
    const byUsi = await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(headers.keyA).expect(200);
    expect(byUsi.body.items.map((e: { type: string }) => e.type)).toEqual(['started', 'completed']);
    expect(byUsi.body.items[0]).toMatchObject({ usiMasked: 'BN******FN', operation: 'VerifyUSI' });
    const first = await request(gw.http).get('/v1/audit/events').query({ limit: '1' }).set(headers.keyA).expect(200);
    const second = await request(gw.http)
      .get('/v1/audit/events')
      .query({ limit: '1', cursor: first.body.nextCursor })
      .set(headers.keyA)
      .expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('returns the whole story of a request, to its own vendor only', async () => {
    const res = await request(gw.http).get('/v1/audit/requests/req-a1-verify').set(headers.vendorAdminA).expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['started', 'completed']);
    expect(res.body.events[1].relatedEventId).toBe(res.body.events[0].id);
    const other = await sessionFor(vendorB, ['vendor_admin']);
    expect((await request(gw.http).get('/v1/audit/requests/req-a1-verify').set(other)).status).toBe(404);
  });

  it('exports the caller’s events as CSV', async () => {
    const res = await request(gw.http).get('/v1/audit/export.csv').query({ organisation: a1.orgCode }).set(headers.keyA).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,occurredAt,chainId,chainSeq/);
    const json = await request(gw.http).get('/v1/audit/events').query({ organisation: a1.orgCode, limit: '200' }).set(headers.keyA);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(json.body.items.map((e: { id: string }) => e.id));
  });

  it('records the export request itself once its response is complete (the route writes its own response)', async () => {
    await request(gw.http).get('/v1/audit/export.csv').query({ organisation: a1.orgCode }).set(headers.keyA).set('X-Request-Id', 'req-export-1').expect(200);
    type Row = { category: string; http_status: number; outcome: string; actor: string | null; details: { route: string } };
    let rows: Row[] = [];
    for (let i = 0; i < 40 && !rows.length; i++) {
      rows = await queryAs<Row>(gw.db.ownerUrl, `select category, http_status, outcome, actor, details from audit_events where request_id = 'req-export-1'`);
      if (!rows.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toEqual([
      expect.objectContaining({ category: 'inbound', http_status: 200, outcome: 'success', details: expect.objectContaining({ route: '/v1/audit/export.csv' }) }),
    ]);
    expect(rows[0].actor).toMatch(/^api_key:/);
  });

  it('verify reports an intact chain, then exactly the record an owner altered', async () => {
    const org = await gw.newOrganisation(vendorA);
    const audit = gw.app.get(AuditService);
    for (let i = 0; i < 5; i++) {
      await audit.recordSecurityEvent({ type: 'test.chain', vendorId: asVendorId(vendorA), organisationId: org.id, details: { i } });
    }
    const intact = await request(gw.http).get('/v1/audit/verify').query({ organisation: org.orgCode }).set(headers.vendorAdminA).expect(200);
    expect(intact.body).toMatchObject({ ok: true, checked: 5, chainId: `org:${org.id}` });

    const [victim] = await queryAs<{ id: string }>(
      gw.db.ownerUrl,
      `select id from audit_events where chain_id = $1 and chain_seq = 3`,
      [`org:${org.id}`],
    );
    await queryAs(gw.db.ownerUrl, `alter table audit_events disable trigger audit_events_append_only`);
    try {
      await queryAs(gw.db.ownerUrl, `update audit_events set outcome = 'tampered' where id = $1`, [victim.id]);
    } finally {
      await queryAs(gw.db.ownerUrl, `alter table audit_events enable trigger audit_events_append_only`);
    }
    const broken = await request(gw.http).get('/v1/audit/verify').query({ organisation: org.orgCode }).set(headers.support).expect(200);
    expect(broken.body).toEqual({
      chainId: `org:${org.id}`,
      ok: false,
      checked: 2,
      brokenAt: { id: victim.id, chainSeq: 3, reason: 'hash_mismatch' },
    });
  });
  describe('platform reads, each on the chain of the vendor read', () => {
    type ReadRow = { chain_id: string; organisation_id: string | null; actor: string; details: Record<string, unknown> };
    const readsOf = (vendorId: string) =>
      queryAs<ReadRow>(
        gw.db.ownerUrl,
        `select chain_id, organisation_id, actor, details from audit_events
         where type = 'audit.read_by_platform' and vendor_id = $1 order by chain_seq`,
        [vendorId],
      );
    const newReads = async (vendorId: string, act: () => Promise<unknown>) => {
      const before = (await readsOf(vendorId)).length;
      await act();
      return (await readsOf(vendorId)).slice(before);
    };

    it("records who read which of vendor B's organisations on B's chain, and B sees it in its own trail", async () => {
      let items: unknown[] = [];
      const onA = await newReads(vendorA, async () => {
        const onB = await newReads(vendorB, async () => {
          items = (await events('platformSupport', { organisation: b1.orgCode }).expect(200)).body.items;
        });
        expect(onB).toEqual([
          {
            chain_id: `vendor:${vendorB}`,
            organisation_id: null,
            actor: expect.stringMatching(/^user:/),
            details: expect.objectContaining({
              action: 'audit.searched',
              organisationIds: [b1.id],
              events: items.length,
              filters: expect.objectContaining({ organisation: b1.orgCode, category: 'security' }),
              actorRoles: ['platform_support'],
            }),
          },
        ]);
      });
      expect(onA).toEqual([]);
      const vendorAdminB = await sessionFor(vendorB, ['vendor_admin']);
      const own = await request(gw.http).get('/v1/audit/events').query({ category: 'security', limit: '200' }).set(vendorAdminB).expect(200);
      expect(own.body.items.map((e: { type: string }) => e.type)).toContain('audit.read_by_platform');
    });

    it('records every vendor a search, a request, an export and a verification returned, for platform admins too', async () => {
      const onA = await newReads(vendorA, async () => {
        await request(gw.http).get('/v1/audit/events').query({ category: 'security', limit: '200' }).set(headers.platformAdmin).expect(200);
        await request(gw.http).get('/v1/audit/requests/req-a1-verify').set(headers.platformSupport).expect(200);
        await request(gw.http).get('/v1/audit/export.csv').query({ organisation: a1.orgCode }).set(headers.platformSupport).expect(200);
        await request(gw.http).get('/v1/audit/verify').query({ organisation: a2.orgCode }).set(headers.platformSupport).expect(200);
      });
      expect(onA.map((r) => [r.details.action, r.details.organisationIds, r.details.actorRoles])).toEqual([
        ['audit.searched', expect.arrayContaining([a1.id, a2.id]), ['platform_admin']],
        ['audit.request_read', [a1.id], ['platform_support']],
        ['audit.exported', [a1.id], ['platform_support']],
        ['audit.verified', [a2.id], ['platform_support']],
      ]);
      expect(onA.every((r) => r.chain_id === `vendor:${vendorA}`)).toBe(true);
    });

    it("records nothing for a vendor's own readers", async () => {
      const onA = await newReads(vendorA, async () => {
        for (const who of ['support', 'vendorAdminA', 'keyA', 'providerAdminA1']) await events(who).expect(200);
      });
      expect(onA).toEqual([]);
    });
  });
});
