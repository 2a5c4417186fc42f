import { V5, V6_DRAFT } from '@usi/contract';
import { ClockOffsetSample, MachineCredential, resolveEndpoints, UsiClient, UsiClientError } from '@usi/client';
import { startTestSimulator } from './support/running-sim';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

/** Web-service versions, the 3458 switch, the STS refusals and the skewed clock, seen through the real client. */
describe('usi-sim: versions, outdated versions, STS refusals, clock skew', () => {
  let sim: Sim;
  let credential: MachineCredential;
  const samples: ClockOffsetSample[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator();
    const issued = sim.ca.issueMachineCredential({ abn: '27809366375', name: 'USIMachine', notBefore: new Date(Date.now() - 60_000) });
    credential = { id: 'ABRD:27809366375_USIMachine', abn: '27809366375', notAfter: new Date(Date.now() + 86_400_000), ...issued };
  });
  afterAll(() => sim.stop());
  afterEach(() => {
    sim.admin.clearFaults();
    samples.length = 0;
    for (const v of sim.admin.serviceVersions()) sim.admin.setServiceVersion(v.id, { outdated: false });
    for (const c of sim.admin.credentialStatuses()) sim.admin.setCredentialStatus(c.credentialId, { status: 'active' });
  });

  const client = (version = V5) =>
    new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: sim.url }, version), version, onClockOffset: (s) => samples.push(s) });
  const countries = async (c: UsiClient) => {
    try {
      return await c.getCountries({ credential }, { orgCode: 'VA1803' });
    } finally {
      await c.close();
    }
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => err as UsiClientError,
    );

  it('serves every known version at its own path; v6 speaks the 2026 namespace', async () => {
    expect(sim.admin.serviceVersions()).toEqual([
      { id: 'v5', path: '/service/v5/usiservice.svc', namespace: 'http://usi.gov.au/2022/ws', complete: true, outdated: false },
      { id: 'v6', path: '/service/v6/usiservice.svc', namespace: 'http://usi.gov.au/2026/ws', complete: false, outdated: false },
    ]);
    expect((await countries(client(V6_DRAFT))).countries.length).toBeGreaterThan(0);
  });

  it('answers ErrorInfo 3458 for a version marked outdated, and only for that one (admin API)', async () => {
    const put = await fetch(`${sim.url}/admin/service-versions/v5`, { method: 'PUT', body: JSON.stringify({ outdated: true }) });
    expect(await put.json()).toMatchObject({ id: 'v5', outdated: true });
    const err = await failure(countries(client(V5)));
    expect(err).toMatchObject({ code: 'usi.fault', details: { errors: [{ code: 3458, title: 'Outdated Version' }] } });
    expect((await countries(client(V6_DRAFT))).countries.length).toBeGreaterThan(0);
    expect((await fetch(`${sim.url}/admin/service-versions/v9`, { method: 'PUT', body: '{"outdated":true}' })).status).toBe(404);
  });

  it("sends its (skewed) clock in the Date header, so the client measures the offset of a refused timestamp", async () => {
    sim.admin.setFaults({ sts: { clockSkewMs: 6 * 60_000 } });
    const err = await failure(countries(client()));
    expect(err).toMatchObject({ code: 'sts.fault', details: { subcode: 'MessageExpired' } });
    expect(Number(err.details?.clockOffsetMs)).toBeGreaterThan(5.9 * 60_000);
    expect(samples).toEqual([expect.objectContaining({ kind: 'sts', source: 'http-date' })]);
    expect(samples[0].offsetMs).toBeLessThan(6.1 * 60_000);
  });

  it('measures an in-sync STS from its response Timestamp', async () => {
    await countries(client());
    expect(samples).toEqual([expect.objectContaining({ source: 'timestamp' })]);
    expect(Math.abs(samples[0].offsetMs)).toBeLessThan(2000);
  });

  it.each([
    ['suspended', /suspended/],
    ['revoked', /revoked/],
  ] as const)('refuses a credential RAM has %s (admin API)', async (status, reason) => {
    const put = await fetch(`${sim.url}/admin/credentials/${encodeURIComponent(credential.id)}`, { method: 'PUT', body: JSON.stringify({ status }) });
    expect(put.status).toBe(200);
    const err = await failure(countries(client()));
    expect(err).toMatchObject({ code: 'sts.fault', details: { subcode: 'FailedAuthentication', reason: expect.stringMatching(reason) } });
  });

  it('refuses an expired credential with event code E2015', async () => {
    const issued = sim.ca.issueMachineCredential({ abn: '27809366375', name: 'Old', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() - 1000) });
    const c = client();
    const err = await failure(c.getCountries({ credential: { id: 'ABRD:27809366375_Old', abn: '27809366375', notAfter: new Date(), ...issued } }, { orgCode: 'VA1803' }).finally(() => c.close()));
    expect(err.details?.reason).toMatch(/expired.*E2015/);
  });

  it.each([
    ['credential_expired', 'FailedAuthentication', /E2015/],
    ['credential_suspended', 'FailedAuthentication', /suspended/],
    ['credential_revoked', 'FailedAuthentication', /revoked/],
    ['certificate_untrusted', 'FailedAuthentication', /could not be authenticated/],
    ['notification_missing', 'RequestFailed', /notification/],
    ['applies_to_unknown', 'InvalidScope', /E2003/],
    ['timestamp', 'MessageExpired', /expired/],
  ] as const)('can be told to refuse every token request with stsFault %s', async (stsFault, subcode, reason) => {
    sim.admin.setFaults({ sts: { stsFault } });
    const err = await failure(countries(client()));
    expect(err).toMatchObject({ code: 'sts.fault', details: { subcode, reason: expect.stringMatching(reason) } });
  });
});
