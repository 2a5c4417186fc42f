import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { organisationChain } from '@gateway/audit/chain/audit-chain';
import { lockChainHead } from '../../support/chain-head-lock';
import { queryAs } from '../../support/test-database';
import { APPLICATION, usiRoutes } from '../usi/support/usi-requests';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * When a USI call goes out relative to its audit `started` row. The organisation's chain head is held locked from
 * another session, so every append to that chain waits in Postgres: a call that needs its row committed cannot be
 * sent, a call that only needs it handed over can, and no response may leave before the row has committed.
 */
describe('audit write-ahead: a read goes out once its started row is with Postgres, a write once it has committed', () => {
  let env: UsiTestEnv;
  let routes: ReturnType<typeof usiRoutes>;
  let chainId: string;
  const usiCalls: Record<string, number> = {};

  const countUsiCalls = () => {
    for (const [op, n] of Object.entries(env.counted().usi)) usiCalls[op] = (usiCalls[op] ?? 0) + (n ?? 0);
    return usiCalls;
  };

  const rowsOf = (requestId: string) =>
    queryAs<{ type: string; operation: string | null; related_event_id: string | null; id: string }>(
      env.gw.db.ownerUrl,
      `select id, type, operation, related_event_id from audit_events where request_id = $1 order by chain_seq`,
      [requestId],
    );

  /** Starts the request now (supertest is lazy) and records when its response arrives. */
  function send(test: { then: Promise<Response>['then'] }) {
    const state: { response?: Response } = {};
    const done = new Promise<Response>((resolve, reject) => test.then(resolve, reject)).then((res) => (state.response = res));
    return { state, done };
  }

  /** Sends `test` with the chain head locked, runs `whileLocked`, releases the lock and returns the response. */
  async function sendWithChainHeadLocked(
    test: { then: Promise<Response>['then'] },
    whileLocked: (state: { response?: Response }) => Promise<void>,
  ): Promise<Response> {
    const lock = await lockChainHead(env.gw.db.ownerUrl, chainId);
    let call: ReturnType<typeof send> | undefined;
    try {
      call = send(test);
      await whileLocked(call.state);
    } finally {
      await lock.release();
    }
    return call.done;
  }

  const auditSessionsWaitingOnLock = `from pg_stat_activity where application_name = 'usi-gateway-audit' and wait_event_type = 'Lock'`;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    chainId = organisationChain(organisation.id);
    // Creates the chain head and caches the token, so the calls below make no STS exchange of their own.
    await routes.verify().expect(200);
    countUsiCalls();
  }, 60_000);
  afterAll(() => env?.close());

  it('sends VerifyUSI while its started row waits, and answers only after that row has committed', async () => {
    const requestId = `wa-read-${randomUUID()}`;
    const before = countUsiCalls().VerifyUSI ?? 0;
    const res = await sendWithChainHeadLocked(routes.verify().set('X-Request-Id', requestId), async (state) => {
      await waitFor(() => (countUsiCalls().VerifyUSI ?? 0) > before, 'the VerifyUSI call to reach the simulator');
      // The registry has answered, yet nothing is on record and nothing has been returned.
      await new Promise((r) => setTimeout(r, 200));
      expect(state.response).toBeUndefined();
      expect(await rowsOf(requestId)).toEqual([]);
    });
    expect(res.status).toBe(200);
    const rows = await rowsOf(requestId);
    expect(rows.map((r) => `${r.operation}:${r.type}`)).toEqual(['VerifyUSI:started', 'VerifyUSI:completed', 'VerifyUSI:request']);
    expect(rows[1].related_event_id).toBe(rows[0].id);
  });

  it('does not send CreateUSI until its started row has committed', async () => {
    const requestId = `wa-write-${randomUUID()}`;
    const before = countUsiCalls().CreateUSI ?? 0;
    const create = routes.post('/usis', APPLICATION).set('Idempotency-Key', randomUUID()).set('X-Request-Id', requestId);
    const res = await sendWithChainHeadLocked(create, async (state) => {
      await waitFor(
        async () => (await queryAs(env.gw.db.ownerUrl, `select 1 ${auditSessionsWaitingOnLock}`)).length > 0,
        'the started row to wait for the chain head',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(countUsiCalls().CreateUSI ?? 0).toBe(before);
      expect(state.response).toBeUndefined();
    });
    expect(res.status).toBe(201);
    expect(countUsiCalls().CreateUSI).toBeGreaterThan(before);
    const rows = await rowsOf(requestId);
    expect(rows.map((r) => `${r.operation}:${r.type}`)).toEqual(['CreateUSI:started', 'CreateUSI:completed', 'CreateUSI:request']);
  });

  it("withholds a read's answer when its started row fails to commit, and records no outcome that would point to it", async () => {
    const requestId = `wa-lost-${randomUUID()}`;
    const before = countUsiCalls().VerifyUSI ?? 0;
    const res = await sendWithChainHeadLocked(routes.verify().set('X-Request-Id', requestId), async () => {
      await waitFor(() => (countUsiCalls().VerifyUSI ?? 0) > before, 'the VerifyUSI call to reach the simulator');
      // The database loses the session that carries the started row, mid-statement.
      const [killed] = await queryAs<{ ok: boolean }>(env.gw.db.ownerUrl, `select pg_terminate_backend(pid) as ok ${auditSessionsWaitingOnLock}`);
      expect(killed?.ok).toBe(true);
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).not.toHaveProperty('usiStatus');
    expect(JSON.stringify(res.body)).not.toMatch(/Maryam|Fredrick/);
    const rows = await rowsOf(requestId);
    expect(rows.filter((r) => r.operation === 'VerifyUSI' && r.type !== 'request')).toEqual([]);
    expect(rows.filter((r) => r.type === 'request')).toHaveLength(1);
  });
});
