import request from 'supertest';
import { queryAs } from '../../support/test-database';
import { usiRoutes } from '../usi/support/usi-requests';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

interface Row {
  type: string;
  category: string;
  operation: string | null;
  outcome: string | null;
  details: Record<string, unknown>;
  tx: string;
}

describe('audit of USI exchanges: business outcome, and one commit for the outcomes plus the inbound event', () => {
  let env: UsiTestEnv;
  let routes: ReturnType<typeof usiRoutes>;
  let auditKey: string;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    auditKey = await env.newKey(vendor, ['audit:read']);
  }, 60_000);
  afterAll(() => env?.close());

  /** xmin: rows written by one transaction share it. */
  const rowsOf = (requestId: string) =>
    queryAs<Row>(
      env.gw.db.ownerUrl,
      `select type, category, operation, outcome, details, xmin::text as tx from audit_events where request_id = $1
       order by chain_seq`,
      [requestId],
    );

  it('stores the VerifyUSI outcome on the completed exchange, committed with the inbound event after the started rows', async () => {
    const res = await routes.verify().expect(200);
    const rows = await rowsOf(res.headers['x-request-id']);
    expect(rows.map((r) => `${r.operation}:${r.type}`)).toEqual([
      'Issue:started',
      'VerifyUSI:started',
      'Issue:completed',
      'VerifyUSI:completed',
      'VerifyUSI:request',
    ]);
    const [stsStarted, usiStarted, stsDone, usiDone, inbound] = rows;
    expect(usiDone.details.outcome).toEqual({ usiStatus: res.body.usiStatus, result: 'Match' });
    expect(new Set([stsDone.tx, usiDone.tx, inbound.tx]).size).toBe(1);
    expect(new Set([stsStarted.tx, usiStarted.tx, inbound.tx]).size).toBe(3);
    // Raw SOAP retention is off by default.
    expect(await queryAs(env.gw.db.ownerUrl, `select exchange_id from audit_raw_exchanges`)).toEqual([]);
  });

  it('commits a failed exchange with its inbound error event', async () => {
    env.sim.admin.setFaults({ operations: { GetCountries: { failure: 'malformed' } } });
    try {
      const res = await routes.get('/reference/countries');
      expect(res.status).toBeGreaterThanOrEqual(500);
      const rows = await rowsOf(res.headers['x-request-id']);
      const failed = rows.find((r) => r.type === 'failed')!;
      const inbound = rows.find((r) => r.category === 'inbound')!;
      expect(failed).toMatchObject({ operation: 'GetCountries', outcome: 'failed' });
      expect(failed.tx).toBe(inbound.tx);
    } finally {
      env.sim.admin.setFaults({});
    }
  });

  it('finds exchanges by business outcome through the outcome filter', async () => {
    const verified = await routes.verify().expect(200);
    const countries = await routes.get('/reference/countries').expect(200);
    const search = (outcome: string) =>
      request(env.gw.http).get('/v1/audit/events').query({ outcome, category: 'exchange', limit: '200' }).set('Authorization', `Bearer ${auditKey}`).expect(200);
    const matched = (await search('Match')).body.items as { requestId: string; details: { outcome: unknown } }[];
    expect(matched.map((e) => e.requestId)).toContain(verified.headers['x-request-id']);
    expect(matched.map((e) => e.requestId)).not.toContain(countries.headers['x-request-id']);
    const valid = (await search(String(verified.body.usiStatus))).body.items as { requestId: string }[];
    expect(valid.map((e) => e.requestId)).toContain(verified.headers['x-request-id']);
    const listed = await rowsOf(countries.headers['x-request-id']);
    expect(listed.find((r) => r.operation === 'GetCountries' && r.type === 'completed')?.details.outcome).toMatchObject({
      counts: { total: expect.any(Number) },
    });
  });
});
