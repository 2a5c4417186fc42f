import request from 'supertest';
import { UPSTREAM_PROBLEMS, UpstreamProblem } from '@usi/client';
import { statusForCode } from '../../../apps/gateway/src/common/errors/error-status';
import { upstreamGuidance } from '@gateway/upstream/upstream-error.mapper';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from './support/usi-gateway-env';
import { usiRoutes } from './support/usi-requests';

type Routes = ReturnType<typeof usiRoutes>;
interface Caller {
  routes: Routes;
  credentialId: string;
}

/**
 * Walks the whole upstream error table through the API: for each row the simulator is made to produce the error
 * (by the real cause where the simulator has one, else by fault injection), a USI call goes through the gateway, and
 * the answer must carry the row's code, status, `type` link and guidance.
 */
describe('upstream error table, row by row through the API', () => {
  let env: UsiTestEnv;
  let page: string;

  beforeAll(async () => {
    env = await createUsiTestEnv({ USI_TIMEOUT_MS: '3000', USI_BREAKER_THRESHOLD: '1000' });
    page = (await request(env.gw.http).get('/docs/errors').expect(200).expect('content-type', /text\/html/)).text;
  }, 60_000);
  afterAll(() => env?.close());
  afterEach(() => {
    env.sim.admin.clearFaults();
    for (const v of env.sim.admin.serviceVersions()) env.sim.admin.setServiceVersion(v.id, { outdated: false });
    for (const c of env.sim.admin.credentialStatuses()) env.sim.admin.setCredentialStatus(c.credentialId, { status: 'active' });
  });

  /** A vendor and organisation of its own: no token is cached for it, so the next call asks the STS. */
  const caller = async (options: { notified?: boolean } = {}): Promise<Caller> => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor, options);
    const [{ credential_id: credentialId }] = await queryAs<{ credential_id: string }>(
      env.gw.db.ownerUrl,
      `select credential_id from m2m_credentials where vendor_id = $1 and status = 'active'`,
      [vendor.id],
    );
    return { routes: usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor)), credentialId };
  };
  const injectErrorInfo = (errorCode: number) => () => void env.sim.admin.setFaults({ operations: { VerifyUSI: { errorRate: 1, errorCode } } });
  const stsFault = (fault: 'applies_to_unknown' | 'credential_expired' | 'certificate_untrusted') => () =>
    void env.sim.admin.setFaults({ sts: { stsFault: fault } });

  /** How the simulator is made to produce each row. */
  const SCENARIOS: Record<string, { arrange: (c: Caller) => void | Promise<void>; notified?: boolean; upstreamCode: string | RegExp }> = {
    'usi.service_unavailable': { arrange: injectErrorInfo(1001), upstreamCode: '1001' },
    'usi.validation': { arrange: injectErrorInfo(1002), upstreamCode: '1002' },
    'usi.organisation_not_authorised': { arrange: injectErrorInfo(2002), upstreamCode: '2002' },
    'usi.identity_not_verified': { arrange: injectErrorInfo(2004), upstreamCode: '2004' },
    'upstream.version_outdated': { arrange: () => void env.sim.admin.setServiceVersion('v5', { outdated: true }), upstreamCode: '3458' },
    'sts.notification_missing': { arrange: () => undefined, notified: false, upstreamCode: 'RequestFailed' },
    'sts.applies_to_unknown': { arrange: stsFault('applies_to_unknown'), upstreamCode: 'InvalidScope' },
    'upstream.clock_skew': { arrange: () => void env.sim.admin.setFaults({ sts: { clockSkewMs: 6 * 60_000 } }), upstreamCode: 'MessageExpired' },
    'sts.credential_revoked': {
      arrange: (c) => void env.sim.admin.setCredentialStatus(c.credentialId, { status: 'revoked' }),
      upstreamCode: 'FailedAuthentication',
    },
    'sts.credential_suspended': {
      arrange: (c) => void env.sim.admin.setCredentialStatus(c.credentialId, { status: 'suspended' }),
      upstreamCode: 'FailedAuthentication',
    },
    'sts.credential_expired': { arrange: stsFault('credential_expired'), upstreamCode: 'FailedAuthentication' },
    'sts.certificate_untrusted': { arrange: stsFault('certificate_untrusted'), upstreamCode: 'FailedAuthentication' },
  };

  it('has a scenario for every row of the table', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(UPSTREAM_PROBLEMS.map((p) => p.code).sort());
  });

  it.each(UPSTREAM_PROBLEMS.map((p): [string, UpstreamProblem] => [p.code, p]))('%s: produced by the simulator, answered with its code and guidance', async (code, problem) => {
    const scenario = SCENARIOS[code];
    const c = await caller({ notified: scenario.notified ?? true });
    await scenario.arrange(c);
    const res = await c.routes.verify();

    expect(res.status).toBe(statusForCode(code).status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code, type: `/docs/errors#${code}`, upstream: { code: scenario.upstreamCode } });
    expect(res.body.guidance).toMatchObject(JSON.parse(JSON.stringify(upstreamGuidance(problem))));
    if (code === 'sts.notification_missing') {
      expect(res.body.guidance).toMatchObject({ vendorAbn: expect.stringMatching(/^\d{11}$/), softwareId: expect.stringMatching(/^\d{10}$/) });
    }
    // The type links to an entry of the page that says the same.
    expect(page).toContain(`<section id="${code}">`);
    expect(page).toContain(problem.vendor[0].replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/`([^`]+)`/g, '<code>$1</code>'));
  });
});
