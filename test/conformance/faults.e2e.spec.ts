import type { ExchangeObserver, UsiClient } from '@usi/client';
import type { FaultConfig } from '@usi/sim';
import { clientError, DIRECT, startConformanceEnv, VENDOR, type ConformanceEnv } from './support/conformance-env';

/** Every fault the simulator can inject, and what the client turns it into. */
describe('conformance: injected faults', () => {
  let env: ConformanceEnv;
  const verify = (org: string = DIRECT.orgCode) => ({ orgCode: org, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' });

  beforeAll(async () => {
    env = await startConformanceEnv();
  });
  afterEach(() => env.sim.admin.clearFaults());
  afterAll(() => env?.stop());

  /** A fresh client (empty token cache) whose token is already issued, so only the USI call meets the fault. */
  async function clientWithToken(timeoutMs = 10_000, observer?: ExchangeObserver): Promise<UsiClient> {
    const client = env.client({ timeoutMs, observer });
    await client.acquireToken(env.context('direct'));
    return client;
  }

  async function verifyFailure(faults: FaultConfig, timeoutMs?: number) {
    const client = await clientWithToken(timeoutMs);
    env.sim.admin.setFaults(faults);
    return clientError(client.verifyUsi(env.context('direct'), verify()));
  }

  describe('business faults carry the ErrorInfo code, title and message', () => {
    it('error rate 1 → ErrorInfo 1001 Service Unavailable', async () => {
      const finished: unknown[] = [];
      const client = await clientWithToken(10_000, { started: () => undefined, finished: (e) => void finished.push(e) });
      env.sim.admin.setFaults({ operations: { VerifyUSI: { errorRate: 1 } } });
      const err = await clientError(client.verifyUsi(env.context('direct'), verify()));
      expect(err.code).toBe('usi.fault');
      expect(err.details?.errors).toEqual([{ code: 1001, title: 'Service Unavailable', message: 'The service is currently not available.' }]);
      expect(err.message).toContain('1001 Service Unavailable');
      expect(finished).toContainEqual(
        expect.objectContaining({ kind: 'usi', outcome: 'failed', error: expect.objectContaining({ code: 'usi.fault', upstreamCode: 1001, title: 'Service Unavailable' }) }),
      );
    });

    it('error rate with another errorCode → that code', async () => {
      const err = await verifyFailure({ operations: { VerifyUSI: { errorRate: 1, errorCode: 3001 } } });
      expect(err.details?.errors).toEqual([expect.objectContaining({ code: 3001 })]);
    });

    it('an organisation the credential does not own → 2002 Organisation Failed Authorisation', async () => {
      const client = env.client();
      const err = await clientError(client.verifyUsi(env.context('direct'), verify(VENDOR.orgCode)));
      expect(err.code).toBe('usi.fault');
      expect(err.details?.errors).toEqual([
        {
          code: 2002,
          title: 'Organisation Failed Authorisation',
          message: 'The organisation was not verified as an authorised body/organisation in the system.',
        },
      ]);
    });

    it('ActAs for VA1802 but the body names VA1803 → 2002', async () => {
      const err = await clientError(env.client().verifyUsi(env.context('actAs'), verify(DIRECT.orgCode)));
      expect(err.details?.errors).toEqual([expect.objectContaining({ code: 2002 })]);
    });

    it('an unknown organisation → 1002 Generic Validation', async () => {
      const err = await clientError(env.client().getCountries(env.context('direct'), { orgCode: 'ZZ9999' }));
      expect(err.code).toBe('usi.fault');
      expect(err.details?.errors).toEqual([
        { code: 1002, title: 'Generic Validation', message: 'Organisation with OrgCode of ZZ9999 could not be found.' },
      ]);
    });
  });

  describe('transport and envelope failures', () => {
    it('latency below the deadline → the call still succeeds', async () => {
      const client = await clientWithToken();
      env.sim.admin.setFaults({ operations: { VerifyUSI: { latency: { minMs: 50, maxMs: 100 } } } });
      await expect(client.verifyUsi(env.context('direct'), verify())).resolves.toMatchObject({ usiStatus: 'Valid' });
    });

    it('latency beyond the deadline → upstream.timeout', async () => {
      expect((await verifyFailure({ operations: { VerifyUSI: { latency: { fixedMs: 3_000 } } } }, 500)).code).toBe('upstream.timeout');
    });

    it.each([
      ['malformed XML', 'malformed', 'upstream.bad_response'],
      ['truncated XML', 'truncated', 'upstream.bad_response'],
      ['HTTP 503', 'http503', 'upstream.unavailable'],
      ['connection reset', 'reset', 'upstream.unavailable'],
    ] as const)('%s (%s) → %s', async (_what, failure, code) => {
      const err = await verifyFailure({ operations: { VerifyUSI: { failure } } });
      expect(err.code).toBe(code);
    });

    it('hang → upstream.timeout at the client deadline', async () => {
      const err = await verifyFailure({ operations: { VerifyUSI: { failure: 'hang' } } }, 800);
      expect(err.code).toBe('upstream.timeout');
    });

    it('hang with hangMs → the simulator gives up with 503 → upstream.unavailable', async () => {
      const err = await verifyFailure({ operations: { VerifyUSI: { failure: 'hang', hangMs: 200 } } });
      expect(err.code).toBe('upstream.unavailable');
    });
  });

  describe('STS failures', () => {
    const issue = (ctx = env.context('direct'), timeoutMs = 10_000) => clientError(env.client({ timeoutMs }).verifyUsi(ctx, verify(ctx.actAs ? VENDOR.orgCode : DIRECT.orgCode)));

    it.each([
      ['STS down (HTTP 503)', 'upstream.unavailable', { failure: 'http503' }],
      ['STS down (connection reset)', 'upstream.unavailable', { failure: 'reset' }],
      ['STS malformed XML', 'upstream.bad_response', { failure: 'malformed' }],
      ['STS truncated XML', 'upstream.bad_response', { failure: 'truncated' }],
    ] as const)('%s → %s, and no USI call is made', async (_what, code, rule) => {
      env.sim.admin.setFaults({ sts: rule });
      const usiCallsBefore = env.sim.admin.counters().usi.VerifyUSI ?? 0;
      expect((await issue()).code).toBe(code);
      expect(env.sim.admin.counters().usi.VerifyUSI ?? 0).toBe(usiCallsBefore);
    });

    it('STS hang → upstream.timeout', async () => {
      env.sim.admin.setFaults({ sts: { failure: 'hang' } });
      expect((await issue(env.context('direct'), 800)).code).toBe('upstream.timeout');
    });

    it('clock skew beyond the timestamp window → sts.fault MessageExpired', async () => {
      env.sim.admin.setFaults({ sts: { clockSkewMs: 15 * 60_000 } });
      const err = await issue();
      expect(err.code).toBe('sts.fault');
      expect(err.details).toMatchObject({ faultCode: 'Sender', subcode: 'MessageExpired', reason: 'The message has expired.' });
    });

    it('clock skew on the USI service → usi.fault InvalidSecurity (after one retry with a fresh token)', async () => {
      const stsBefore = env.sim.admin.counters().sts;
      const err = await verifyFailure({ operations: { VerifyUSI: { clockSkewMs: 15 * 60_000 } } });
      expect(env.sim.admin.counters().sts).toBe(stsBefore + 2); // the first token, then the fresh one for the retry
      expect(err.code).toBe('usi.fault');
      expect(err.details).toMatchObject({ subcode: 'InvalidSecurity', reason: 'An error occurred when verifying security for the message.' });
      expect(err.details?.errors).toBeUndefined();
    });

    it('ActAs for a provider without a notification → sts.fault RequestFailed (E2035)', async () => {
      env.sim.admin.addOrganisation({ orgCode: 'VA9901', abn: '51824753556', name: 'No Notification RTO', kind: 'cloud' });
      const err = await issue({ credential: env.credentials.vendor, actAs: { firstPartyAbn: VENDOR.abn, secondPartyAbn: '51824753556', ssid: VENDOR.ssid } });
      expect(err.code).toBe('sts.fault');
      expect(err.details).toMatchObject({ subcode: 'RequestFailed', reason: expect.stringContaining('[E2035]') });
    });

    it('ActAs with a revoked notification → sts.fault RequestFailed', async () => {
      await expect(env.client().acquireToken(env.context('actAs'))).resolves.toMatchObject({ hit: false });
      const notification = env.sim.admin.listNotifications().find((n) => n.providerAbn === VENDOR.providerAbn && n.status === 'active');
      env.sim.admin.revokeNotification(notification!.id);
      const err = await issue(env.context('actAs'));
      expect(err.code).toBe('sts.fault');
      expect(err.details).toMatchObject({ subcode: 'RequestFailed', reason: expect.stringContaining('notification') });
    });
  });
});
