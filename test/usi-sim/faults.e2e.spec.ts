import { decodeErrorInfo } from '@usi/contract';
import { parseXml } from '@usi/ws-security';
import { buildRst, buildUsiCall, faultOf, post, verifyUsiBody, type Token } from './support/sim-messages';
import { startTestSimulator } from './support/running-sim';
import { tokenFor } from './support/token-for';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

describe('usi-sim fault injection and counters', () => {
  let sim: Sim;
  let token: Token;
  const verify = () => post(sim.usiUrl, buildUsiCall({ usiUrl: sim.usiUrl, token, operation: 'VerifyUSI', bodyXml: verifyUsiBody('VA1803') }));
  const stsRequest = () => {
    const issued = sim.ca.issueMachineCredential({ abn: '27809366375', name: 'USIMachine', notBefore: new Date(Date.now() - 60_000) });
    return buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: issued.certificateDer, privateKey: issued.privateKey });
  };
  const putFaults = (config: unknown) =>
    fetch(`${sim.url}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });

  beforeAll(async () => {
    sim = await startTestSimulator();
    token = await tokenFor(sim, { abn: '27809366375', name: 'USIMachine' });
  });
  afterEach(() => sim.admin.clearFaults());
  afterAll(() => sim.stop());

  it('answers ErrorInfo 1001 for the configured operation only', async () => {
    expect((await putFaults({ operations: { VerifyUSI: { errorRate: 1 } } })).status).toBe(200);
    const res = await verify();
    expect(res.status).toBe(500);
    expect(decodeErrorInfo(faultOf(res.body)!.detail!)).toEqual([{ code: 1001, title: 'Service Unavailable', message: 'The service is currently not available.' }]);
    const other = await post(sim.usiUrl, buildUsiCall({ usiUrl: sim.usiUrl, token, operation: 'GetCountries', bodyXml: '<GetCountries xmlns="http://usi.gov.au/2022/ws"><OrgCode>VA1803</OrgCode></GetCountries>' }));
    expect(other.status).toBe(200);
  });

  it('takes down the STS with a connection reset', async () => {
    sim.admin.setFaults({ sts: { failure: 'reset' } });
    await expect(post(sim.stsUrl, stsRequest())).rejects.toThrow();
    expect((await verify()).status).toBe(200);
  });

  it('answers HTTP 503', async () => {
    sim.admin.setFaults({ sts: { failure: 'http503' } });
    expect((await post(sim.stsUrl, stsRequest())).status).toBe(503);
  });

  it('answers a proxy-style HTTP 502 page that is not XML', async () => {
    sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http502' } } });
    const res = await verify();
    expect(res.status).toBe(502);
    expect(res.body).toContain('502 Bad Gateway');
    expect(() => parseXml(res.body)).toThrow();
    expect((await post(sim.stsUrl, stsRequest())).status).toBe(200);
  });

  it('sends malformed and truncated XML', async () => {
    sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'malformed' } } });
    const malformed = await verify();
    expect(malformed.status).toBe(200);
    expect(() => parseXml(malformed.body)).toThrow();
    sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'truncated' } } });
    const truncated = await verify();
    expect(truncated.body).toMatch(/^<s:Envelope/);
    expect(() => parseXml(truncated.body)).toThrow();
  });

  it('hangs until the client gives up, or answers 503 after hangMs', async () => {
    sim.admin.setFaults({ global: { failure: 'hang' } });
    await expect(fetch(sim.usiUrl, { method: 'POST', body: 'x', signal: AbortSignal.timeout(200) })).rejects.toThrow();
    sim.admin.setFaults({ global: { failure: 'hang', hangMs: 50 } });
    expect((await verify()).status).toBe(503);
  });

  it('delays responses by the configured latency', async () => {
    sim.admin.setFaults({ operations: { VerifyUSI: { latency: { fixedMs: 300 } } } });
    const started = Date.now();
    expect((await verify()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('skews the simulator clock so fresh timestamps look stale', async () => {
    sim.admin.setFaults({ global: { clockSkewMs: 10 * 60_000 } });
    expect(faultOf((await post(sim.stsUrl, stsRequest())).body)).toMatchObject({ subcode: 'MessageExpired' });
    expect(faultOf((await verify()).body)).toMatchObject({ subcode: 'InvalidSecurity' });
  });

  it('counts requests per endpoint and operation, excluding admin calls', async () => {
    await fetch(`${sim.url}/admin/counters/reset`, { method: 'POST' });
    await verify();
    await verify();
    await post(sim.stsUrl, stsRequest());
    await fetch(`${sim.url}/admin/counters`);
    const counters = await (await fetch(`${sim.url}/admin/counters`)).json();
    expect(counters).toEqual({ sts: 1, usi: { VerifyUSI: 2 }, total: 3 });
  });
});
