import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ChainKeyring } from '@gateway/audit/chain/chain-keyring';
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

    it("a vendor's reader naming another vendor gets 404 vendor.not_found, in search and export alike; its own vendor is fine", async () => {
      for (const who of ['vendorAdminA', 'support', 'keyA']) {
        const res = await events(who, { vendor: vendorB });
        expect({ who, status: res.status, code: res.body.code }).toEqual({ who, status: 404, code: 'vendor.not_found' });
        const csv = await request(gw.http).get('/v1/audit/export.csv').query({ vendor: vendorB }).set(headers[who]);
        expect({ who, status: csv.status }).toEqual({ who, status: 404 });
      }
      expect(seededOrgs((await events('vendorAdminA', { organisation: sharedA.orgCode, vendor: vendorA }).expect(200)).body)).toEqual([sharedA.id]);
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

  it('finds exchanges by exact USI, newest first unless order=asc, and pages with a cursor', async () => {
    const byUsi = await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(headers.keyA).expect(200);
    expect(byUsi.body.items.map((e: { type: string }) => e.type)).toEqual(['completed', 'started']);
    expect(byUsi.body.items[0]).toMatchObject({ usiMasked: 'BN******FN', operation: 'VerifyUSI' });
    const oldestFirst = await request(gw.http).get('/v1/audit/events').query({ usi: USI, order: 'asc' }).set(headers.keyA).expect(200);
    expect(oldestFirst.body.items.map((e: { type: string }) => e.type)).toEqual(['started', 'completed']);
    // Vendor B's readers find nothing by A's USI.
    const vendorAdminB = await sessionFor(vendorB, ['vendor_admin']);
    expect((await request(gw.http).get('/v1/audit/events').query({ usi: USI }).set(vendorAdminB).expect(200)).body.items).toEqual([]);
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
    expect(res.body).toMatchObject({
      requestId: 'req-a1-verify',
      vendorId: vendorA,
      organisation: { id: a1.id, orgCode: a1.orgCode },
      inbound: null,
      retries: 0,
      exchanges: [
        {
          exchangeId: '6f2c1b1e-4a57-4f0e-9b0a-0d4c1f7e2a11',
          kind: 'usi',
          operation: 'VerifyUSI',
          attempt: 1,
          retry: false,
          durationMs: 12.5,
          outcome: 'completed',
          httpStatus: 200,
          errorCode: null,
          usiMasked: 'BN******FN',
        },
      ],
    });
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
    expect(intact.body).toMatchObject({ ok: true, checked: 5, chainId: `org:${org.id}`, chain: 'organisation', orgCode: org.orgCode });

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
    const brokenChain = {
      chainId: `org:${org.id}`,
      chain: 'organisation',
      vendorId: vendorA,
      organisationId: org.id,
      orgCode: org.orgCode,
      ok: false,
      checked: 2,
      brokenAt: { id: victim.id, chainSeq: 3, reason: 'hash_mismatch' },
      keyIds: [gw.app.get(ChainKeyring).current.id],
      unkeyedEvents: 0,
      checkpoint: null,
      anchorProblems: [],
    };
    expect(broken.body).toEqual(brokenChain);
    // Every chain in reach: the broken one is named among the intact ones, for the vendor and for staff.
    for (const who of ['vendorAdminA', 'platformSupport']) {
      const all = await request(gw.http).get('/v1/audit/verify').set(headers[who]).expect(200);
      expect(all.body.ok).toBe(false);
      const bad = (all.body.chains as { ok: boolean }[]).filter((c) => !c.ok);
      expect(bad).toEqual([brokenChain]);
    }
    // Vendor B's chains do not include A's broken one.
    const vendorAdminB = await sessionFor(vendorB, ['vendor_admin']);
    expect((await request(gw.http).get('/v1/audit/verify').set(vendorAdminB).expect(200)).body.ok).toBe(true);
  });
  describe('verify: every chain in reach, or the vendor chain', () => {
    type Chain = { chainId: string; chain: string; vendorId?: string; organisationId?: string; ok: boolean };
    const verify = (who: string | Record<string, string>, query: Record<string, string> = {}) =>
      request(gw.http).get('/v1/audit/verify').query(query).set(typeof who === 'string' ? headers[who] : who);
    const chainIds = (body: { chains: Chain[] }) => body.chains.map((c) => c.chainId).sort();

    beforeAll(async () => {
      const audit = gw.app.get(AuditService);
      // Vendor-level events (credential, API key) live on the vendor chain.
      for (const vendorId of [vendorA, vendorB]) await audit.recordSecurityEvent({ type: 'test.vendor_level', vendorId: asVendorId(vendorId) });
    });

    it('with no parameter lists each chain the caller may see, and no other', async () => {
      const own = (await verify('vendorAdminA').expect(200)).body;
      expect(own.ok).toBe(own.chains.every((c: Chain) => c.ok));
      expect(chainIds(own)).toEqual(expect.arrayContaining([`vendor:${vendorA}`, `org:${a1.id}`, `org:${a2.id}`]));
      expect(own.chains.every((c: Chain) => c.vendorId === vendorA && c.chainId !== 'platform')).toBe(true);
      expect(chainIds((await verify('providerAdminA1').expect(200)).body)).toEqual([`org:${a1.id}`]);
      expect(chainIds((await verify('keyA1Only').expect(200)).body)).toEqual([`org:${a1.id}`]);
      const staff = (await verify('platformSupport').expect(200)).body;
      expect(chainIds(staff)).toEqual(expect.arrayContaining(['platform', `vendor:${vendorA}`, `vendor:${vendorB}`, `org:${a1.id}`, `org:${b1.id}`]));
      expect(staff.chains.find((c: Chain) => c.chainId === `org:${b1.id}`)).toMatchObject({ chain: 'organisation', vendorId: vendorB, orgCode: b1.orgCode });
    });

    it('?vendor= verifies the vendor chain for its whole-vendor readers and staff; another vendor is 404, a restricted reader 403', async () => {
      for (const who of ['vendorAdminA', 'support', 'keyA', 'platformSupport']) {
        const res = await verify(who, { vendor: vendorA }).expect(200);
        expect(res.body).toMatchObject({ chainId: `vendor:${vendorA}`, chain: 'vendor', vendorId: vendorA, ok: true });
        expect(res.body.checked).toBeGreaterThanOrEqual(1);
      }
      for (const who of ['vendorAdminA', 'support', 'keyA']) {
        const res = await verify(who, { vendor: vendorB });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'vendor.not_found' });
      }
      for (const who of ['providerAdminA1', 'keyA1Only']) {
        const res = await verify(who, { vendor: vendorA });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'auth.vendor_wide_required' });
      }
      const unknown = await verify('platformSupport', { vendor: '00000000-0000-4000-8000-000000000000' });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'vendor.not_found' });
    });

    it('names the organisation it could not find, with its own code', async () => {
      for (const who of ['vendorAdminA', 'platformSupport']) {
        const res = await verify(who, { organisation: 'NOSUCHORG1' });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'organisation.not_found', detail: expect.stringContaining('NOSUCHORG1') });
      }
      // Another vendor's organisation reads exactly like an unknown one.
      const other = await verify('vendorAdminA', { organisation: b1.orgCode });
      expect(other.body).toMatchObject({ code: 'organisation.not_found', detail: expect.stringContaining(b1.orgCode) });
    });

    it("a platform_support verification lands on each vendor's chain it read; a vendor's own does not", async () => {
      const readsOn = async (vendorId: string) =>
        (await queryAs<{ n: string }>(gw.db.ownerUrl, `select count(*) n from audit_events where type = 'audit.read_by_platform' and vendor_id = $1 and details->>'action' = 'audit.verified'`, [vendorId]))[0].n;
      const [a0, b0] = [await readsOn(vendorA), await readsOn(vendorB)];
      await verify('platformSupport', { vendor: vendorB }).expect(200);
      expect([await readsOn(vendorA), await readsOn(vendorB)]).toEqual([a0, String(Number(b0) + 1)]);
      await verify('platformSupport').expect(200);
      expect([await readsOn(vendorA), await readsOn(vendorB)]).toEqual([String(Number(a0) + 1), String(Number(b0) + 2)]);
      await verify('vendorAdminA').expect(200);
      await verify('support', { vendor: vendorA }).expect(200);
      expect(await readsOn(vendorA)).toBe(String(Number(a0) + 1));
    });
  });

  describe('every search filter stays within the caller’s vendor', () => {
    beforeAll(async () => {
      const audit = gw.app.get(AuditService);
      // The same operation, outcome, error code, request id and USI on both vendors.
      for (const [vendorId, org] of [[vendorA, a1], [vendorB, b1]] as const) {
        const observer = audit.exchangeObserver({ requestId: 'req-shared-id', vendorId: asVendorId(vendorId), organisationId: org.id, environment: 'sim', usi: USI });
        const id = randomUUID();
        await observer.started({ id, kind: 'usi', operation: 'LocateUSI', endpoint: 'http://sim/usi', attempt: 1, requestSha256: 'a'.repeat(64) });
        await observer.finished({ id, kind: 'usi', operation: 'LocateUSI', durationMs: 3, outcome: 'failed', httpStatus: 500, error: { code: 'usi.fault', message: 'x' } });
      }
    });

    it.each([
      ['operation', { operation: 'LocateUSI' }],
      ['outcome', { outcome: 'failed' }],
      ['errorCode', { errorCode: 'usi.fault' }],
      ['requestId', { requestId: 'req-shared-id' }],
      ['usi', { usi: USI }],
      ['category', { category: 'exchange' }],
      ['time range', { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }],
    ])('%s: vendor A sees its rows only, staff see both vendors', async (_name, query) => {
      const list = async (who: Record<string, string>, extra: Record<string, string> = {}) =>
        (await request(gw.http).get('/v1/audit/events').query({ limit: '200', ...query, ...extra }).set(who).expect(200)).body.items as {
          vendorId: string;
        }[];
      const own = await list(headers.support);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((e) => e.vendorId === vendorA)).toBe(true);
      const vendorsSeen = new Set((await list(headers.platformSupport)).map((e) => e.vendorId));
      expect(vendorsSeen.has(vendorA) && vendorsSeen.has(vendorB)).toBe(true);
      expect(new Set((await list(headers.platformSupport, { vendor: vendorB })).map((e) => e.vendorId))).toEqual(new Set([vendorB]));
    });

    it('pages newest first without gaps or repeats, and oldest first with order=asc', async () => {
      const walk = async (order?: string) => {
        const seen: { id: string; occurredAt: string }[] = [];
        let cursor: string | undefined;
        do {
          const q: Record<string, string> = { limit: '2', organisation: a1.orgCode, ...(order ? { order } : {}), ...(cursor ? { cursor } : {}) };
          const res = await request(gw.http).get('/v1/audit/events').query(q).set(headers.keyA).expect(200);
          seen.push(...res.body.items);
          cursor = res.body.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      const desc = await walk();
      const asc = await walk('asc');
      expect(desc.length).toBeGreaterThan(3);
      expect(new Set(desc.map((e) => e.id)).size).toBe(desc.length);
      expect(desc.map((e) => e.id)).toEqual(asc.map((e) => e.id).reverse());
      const times = desc.map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      // A cursor continues the order it came from only.
      const first = await request(gw.http).get('/v1/audit/events').query({ limit: '1', organisation: a1.orgCode }).set(headers.keyA).expect(200);
      const switched = await request(gw.http).get('/v1/audit/events').query({ limit: '1', organisation: a1.orgCode, order: 'asc', cursor: first.body.nextCursor }).set(headers.keyA);
      expect({ status: switched.status, code: switched.body.code }).toEqual({ status: 400, code: 'request.invalid_cursor' });
      const all = await request(gw.http).get('/v1/audit/events').query({ organisation: a1.orgCode, limit: '200' }).set(headers.keyA).expect(200);
      expect(all.body.items.map((e: { id: string }) => e.id)).toEqual(desc.map((e) => e.id));
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
