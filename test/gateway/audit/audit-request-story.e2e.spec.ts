import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { APPLICATION, usiRoutes } from '../usi/support/usi-requests';

interface Exchange {
  exchangeId: string;
  kind: string;
  operation: string;
  attempt: number;
  retry: boolean;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  outcome: string;
  errorCode: string | null;
  guidance: { code: string; docs?: string } | null;
}

/** The support console's view of one request, through the JSON API, against the simulator. */
describe('audit: the story of one request, and CreateUSI found by the USI it returned', () => {
  let env: UsiTestEnv;
  let vendorA: Vendor;
  let orgA: Organisation;
  let routesA: ReturnType<typeof usiRoutes>;
  const auth: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendorA = await env.newVendor();
    const vendorB = await env.newVendor();
    orgA = (await env.newOrganisation(vendorA)).organisation;
    routesA = usiRoutes(env.gw.http, orgA.orgCode, await env.newKey(vendorA));
    auth.auditA = { Authorization: `Bearer ${await env.newKey(vendorA, ['audit:read'])}` };
    auth.auditB = { Authorization: `Bearer ${await env.newKey(vendorB, ['audit:read'])}` };
    for (const [name, role, vendorId] of [
      ['supportA', 'support', vendorA.id],
      ['supportB', 'support', vendorB.id],
      ['platformSupport', 'platform_support', null],
    ] as const) {
      const user = await env.gw.newUser({ vendorId, roles: [role] });
      auth[name] = { Cookie: await env.gw.login(user.email, user.password) };
    }
  }, 60_000);
  afterAll(() => env?.close());

  const events = (who: string, query: Record<string, string>) =>
    request(env.gw.http).get('/v1/audit/events').query({ limit: '200', ...query }).set(auth[who]).expect(200);
  const story = (who: string, requestId: string) => request(env.gw.http).get(`/v1/audit/requests/${requestId}`).set(auth[who]);
  const platformReadsOf = (vendorId: string, action: string) =>
    queryAs<{ details: Record<string, unknown> }>(
      env.gw.db.ownerUrl,
      `select details from audit_events where type = 'audit.read_by_platform' and vendor_id = $1 and details->>'action' = $2 order by chain_seq`,
      [vendorId, action],
    );

  describe('a CreateUSI', () => {
    let requestId: string;
    let usi: string;

    beforeAll(async () => {
      const res = await routesA.post('/usis', APPLICATION).set('Idempotency-Key', randomUUID()).expect(201);
      requestId = res.headers['x-request-id'];
      usi = res.body.usi;
      expect(usi).toMatch(/^[A-Z0-9]{10}$/);
    });

    it('is found by the USI the registry returned: its exchange outcome and its inbound event, masked and never in clear', async () => {
      const found = (await events('auditA', { usi })).body.items as { requestId: string; category: string; type: string; usiMasked: string }[];
      expect(found.filter((e) => e.requestId === requestId).map((e) => `${e.category}:${e.type}`).sort()).toEqual(['exchange:completed', 'inbound:request']);
      expect(found.every((e) => e.usiMasked === `${usi.slice(0, 2)}******${usi.slice(-2)}`)).toBe(true);
      const clear = await queryAs(env.gw.db.ownerUrl, `select id from audit_events e where row_to_json(e)::text like $1`, [`%${usi}%`]);
      expect(clear).toEqual([]);
    });

    it("is not found by another vendor's readers, by USI or request id", async () => {
      for (const who of ['auditB', 'supportB']) {
        expect((await events(who, { usi })).body.items).toEqual([]);
        expect((await events(who, { requestId })).body.items).toEqual([]);
        expect((await story(who, requestId)).status).toBe(404);
      }
    });

    it('tells its story: inbound call, actor, the STS and USI exchanges with timings and outcomes', async () => {
      const body = (await story('supportA', requestId).expect(200)).body;
      expect(body).toMatchObject({
        requestId,
        vendorId: vendorA.id,
        organisation: { id: orgA.id, orgCode: orgA.orgCode },
        actor: { id: expect.stringMatching(/^api_key:/), kind: 'api_key' },
        inbound: { operation: 'CreateUSI', httpStatus: 201, outcome: 'success', method: 'POST', route: '/v1/organisations/:orgCode/usis' },
        outcome: 'success',
        errorCode: null,
        guidance: null,
        retries: 0,
      });
      const exchanges = body.exchanges as Exchange[];
      expect(exchanges.map((x) => `${x.kind}:${x.operation}:${x.outcome}`)).toEqual(['sts:Issue:completed', 'usi:CreateUSI:completed']);
      for (const x of exchanges) {
        expect(x.durationMs).toBeGreaterThan(0);
        expect(Date.parse(x.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(x.startedAt));
      }
      expect(body.events.map((e: { occurredAt: string }) => e.occurredAt)).toEqual(
        [...body.events.map((e: { occurredAt: string }) => e.occurredAt)].sort(),
      );
    });

    it("platform support reads it across vendors, and the read lands on the vendor's own chain", async () => {
      const before = (await platformReadsOf(vendorA.id, 'audit.request_read')).length;
      await story('platformSupport', requestId).expect(200);
      const reads = await platformReadsOf(vendorA.id, 'audit.request_read');
      expect(reads.slice(before)).toEqual([
        { details: expect.objectContaining({ organisationIds: [orgA.id], filters: { requestId }, actorRoles: ['platform_support'] }) },
      ]);
    });
  });

  it('gives the error code and the plain-words guidance of a failed request, found by that error code within the vendor only', async () => {
    const { organisation } = await env.newOrganisation(vendorA, { notified: false });
    const res = await usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendorA)).verify();
    expect(res.body.code).toBe('sts.notification_missing');
    const requestId = res.headers['x-request-id'];
    const body = (await story('supportA', requestId).expect(200)).body;
    expect(body).toMatchObject({
      errorCode: 'sts.notification_missing',
      outcome: 'server_error',
      guidance: { code: 'sts.notification_missing', docs: '/docs/errors#sts.notification_missing', meaning: expect.any(String), provider: expect.any(Array) },
    });
    const sts = (body.exchanges as Exchange[]).find((x) => x.kind === 'sts')!;
    expect(sts).toMatchObject({ outcome: 'failed', errorCode: expect.any(String) });
    const byCode = (who: string) =>
      events(who, { errorCode: 'sts.notification_missing' }).then((r) => (r.body.items as { requestId: string }[]).map((e) => e.requestId));
    expect(await byCode('supportA')).toContain(requestId);
    expect(await byCode('auditB')).toEqual([]);
  });

  // Last: three failed attempts open the VerifyUSI breaker for this gateway.
  it('shows each retry of a read as its own exchange with its attempt number', async () => {
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http503' } } });
    try {
      const res = await routesA.verify();
      expect(res.status).toBeGreaterThanOrEqual(500);
      const body = (await story('supportA', res.headers['x-request-id']).expect(200)).body;
      const usiAttempts = (body.exchanges as Exchange[]).filter((x) => x.operation === 'VerifyUSI');
      expect(usiAttempts.length).toBeGreaterThan(1);
      expect(usiAttempts.map((x) => x.attempt)).toEqual(usiAttempts.map((_, i) => i + 1));
      expect(usiAttempts.map((x) => x.retry)).toEqual(usiAttempts.map((_, i) => i > 0));
      expect(usiAttempts.every((x) => x.outcome === 'failed')).toBe(true);
      expect(body.retries).toBe(usiAttempts.length - 1);
      expect(body.errorCode).toBe(res.body.code);
    } finally {
      env.sim.admin.clearFaults();
    }
  });
});
