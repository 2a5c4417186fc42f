import { createTestCa } from '@usi/keystore';
import { buildRst, faultOf, post, readRstr } from './support/sim-messages';
import { startTestSimulator } from './support/running-sim';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

describe('usi-sim STS (S007 v1.3 Issue)', () => {
  let sim: Sim;
  const machine = { abn: '27809366375', name: 'USIMachine' };
  const vendor = { abn: '11000002568', name: 'INGLETON153' };

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  const rst = (cred: { abn: string; name: string }, extra: Partial<Parameters<typeof buildRst>[0]> = {}) => {
    const issued = sim.ca.issueMachineCredential({ ...cred, notBefore: new Date(Date.now() - 60_000) });
    return buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: issued.certificateDer, privateKey: issued.privateKey, ...extra });
  };

  it('issues an encrypted SAML 2.0 token with a 32-byte proof key and an attached reference', async () => {
    const res = await post(sim.stsUrl, rst(machine, { lifetimeSeconds: 1800 }));
    expect(res.status).toBe(200);
    const token = readRstr(res.body);
    expect(token.proofKey).toHaveLength(32);
    expect(token.referenceXml).toMatch(/ValueType="http:\/\/docs.oasis-open.org\/wss\/oasis-wss-saml-token-profile-1.1#SAMLID">_/);
    expect(token.encryptedDataXml).toContain('aes256-cbc');
    expect(token.encryptedDataXml).not.toContain(machine.abn);
    expect(Math.abs(token.expires.getTime() - Date.now() - 1800_000)).toBeLessThan(5000);
  });

  it('caps the requested lifetime at 8 hours', async () => {
    const token = readRstr((await post(sim.stsUrl, rst(machine, { lifetimeSeconds: 24 * 3600 }))).body);
    expect(token.expires.getTime() - Date.now()).toBeLessThanOrEqual(8 * 3600_000 + 1000);
  });

  it('rejects a tampered signed part', async () => {
    const tampered = rst(machine).replace(/(<a:To[^>]*>)[^<]+/, `$1${sim.stsUrl}?x=1`);
    const res = await post(sim.stsUrl, tampered);
    expect(res.status).toBe(500);
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender', subcode: 'FailedCheck' });
  });

  it('rejects an expired timestamp', async () => {
    const res = await post(sim.stsUrl, rst(machine, { now: new Date(Date.now() - 10 * 60_000) }));
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender', subcode: 'MessageExpired' });
  });

  it('rejects a credential from an untrusted CA', async () => {
    const stranger = createTestCa({ commonName: 'Stranger CA' }).issueMachineCredential(machine);
    const xml = buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: stranger.certificateDer, privateKey: stranger.privateKey });
    const res = await post(sim.stsUrl, xml);
    expect(res.status).toBe(500);
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender', subcode: 'FailedAuthentication' });
  });

  it('rejects an unknown AppliesTo', async () => {
    const res = await post(sim.stsUrl, rst(machine, { appliesTo: 'https://elsewhere.example/service.svc' }));
    expect(faultOf(res.body)).toMatchObject({ subcode: 'InvalidScope' });
  });

  it('refuses ActAs without a cloud software notification, and issues once one is in force', async () => {
    const actAs = { firstPartyAbn: vendor.abn, secondPartyAbn: '53004085616', ssid: '0000999999' };
    const refused = await post(sim.stsUrl, rst(vendor, { actAs }));
    expect(refused.status).toBe(500);
    const fault = faultOf(refused.body);
    expect(fault).toMatchObject({ code: 'Sender', subcode: 'RequestFailed' });
    expect(fault?.reason).toMatch(/no cloud software notification/);

    sim.admin.addNotification({ vendorAbn: vendor.abn, providerAbn: actAs.secondPartyAbn, softwareId: actAs.ssid, startDate: '2020-01-01' });
    const issued = await post(sim.stsUrl, rst(vendor, { actAs }));
    expect(issued.status).toBe(200);
    expect(readRstr(issued.body).proofKey).toHaveLength(32);
  });

  it('refuses ActAs whose FirstParty is not the credential ABN', async () => {
    const res = await post(sim.stsUrl, rst(machine, { actAs: { firstPartyAbn: vendor.abn, secondPartyAbn: '96312011219', ssid: '0000123400' } }));
    expect(faultOf(res.body)).toMatchObject({ subcode: 'RequestFailed' });
  });

  it('answers malformed XML with a Sender fault', async () => {
    const res = await post(sim.stsUrl, '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>');
    expect(res.status).toBe(500);
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender', subcode: 'InvalidRequest' });
  });

  it('refuses a DOCTYPE', async () => {
    const res = await post(sim.stsUrl, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>');
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender' });
  });

  it('keeps a request log: the signing credential, the ActAs asked for (null when none) and the outcome', async () => {
    sim.admin.clearStsRequests();
    await post(sim.stsUrl, rst(machine));
    const actAs = { firstPartyAbn: vendor.abn, secondPartyAbn: '53004085617', ssid: '0000999998' };
    await post(sim.stsUrl, rst(vendor, { actAs }));
    const stranger = createTestCa({ commonName: 'Stranger CA' }).issueMachineCredential(machine);
    await post(sim.stsUrl, buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: stranger.certificateDer, privateKey: stranger.privateKey }));
    const log = await fetch(`${sim.url}/admin/sts-requests`).then((r) => r.json());
    expect(log).toEqual([
      expect.objectContaining({ outcome: 'issued', credentialAbn: machine.abn, credentialId: `ABRD:${machine.abn}_${machine.name}`, appliesTo: sim.usiUrl, actAs: null }),
      expect.objectContaining({ outcome: 'trust:RequestFailed', credentialAbn: vendor.abn, actAs }),
      { at: expect.any(String), outcome: 'o:FailedAuthentication', actAs: null },
    ]);
    expect(log[0].credentialFingerprint).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect((await fetch(`${sim.url}/admin/sts-requests`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.admin.stsRequests()).toEqual([]);
  });
});
