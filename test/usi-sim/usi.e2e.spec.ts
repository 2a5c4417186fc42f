import { decodeErrorInfo, decodeResponse } from '@usi/contract';
import { parseXml, selectElements } from '@usi/ws-security';
import { buildUsiCall, faultOf, post, verifyUsiBody, type Token } from './support/sim-messages';
import { startTestSimulator } from './support/running-sim';
import { tokenFor } from './support/token-for';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

describe('usi-sim USI v5 endpoint', () => {
  let sim: Sim;
  let machineToken: Token;
  const call = (token: Token, bodyXml: string, extra: { operation?: string; proofKey?: Buffer; now?: Date } = {}) =>
    post(sim.usiUrl, buildUsiCall({ usiUrl: sim.usiUrl, token, operation: extra.operation ?? 'VerifyUSI', bodyXml, ...extra }));
  const errorsOf = (xml: string) => {
    const fault = faultOf(xml);
    if (!fault?.detail) throw new Error(`no ErrorInfo fault: ${xml.slice(0, 400)}`);
    return decodeErrorInfo(fault.detail);
  };

  beforeAll(async () => {
    sim = await startTestSimulator();
    machineToken = await tokenFor(sim, { abn: '27809366375', name: 'USIMachine' });
  });
  afterAll(() => sim.stop());

  it('answers VerifyUSI for a direct caller with a correlated, timestamped response', async () => {
    const request = buildUsiCall({ usiUrl: sim.usiUrl, token: machineToken, operation: 'VerifyUSI', bodyXml: verifyUsiBody('VA1803') });
    const messageId = /<a:MessageID>([^<]+)</.exec(request)![1];
    const res = await post(sim.usiUrl, request);
    expect(res.status).toBe(200);
    const doc = parseXml(res.body);
    expect(selectElements('/s:Envelope/s:Header/a:Action', doc)[0]?.textContent).toBe('http://usi.gov.au/2022/ws/VerifyUSIResponse');
    expect(selectElements('/s:Envelope/s:Header/a:RelatesTo', doc)[0]?.textContent).toBe(messageId);
    expect(selectElements('/s:Envelope/s:Header/o:Security/u:Timestamp', doc)).toHaveLength(1);
    const response = decodeResponse('VerifyUSI', selectElements('/s:Envelope/s:Body/*', doc)[0]!);
    expect(response.usiStatus).toBe('Valid');
  });

  it('answers a cloud caller acting for the 3PT provider (VA1802)', async () => {
    const token = await tokenFor(sim, { abn: '11000002568', name: 'INGLETON153' }, { firstPartyAbn: '11000002568', secondPartyAbn: '96312011219', ssid: '0000123400' });
    const res = await call(token, verifyUsiBody('VA1802'));
    expect(res.status).toBe(200);
  });

  it('refuses a bad HMAC with InvalidSecurity', async () => {
    const res = await call(machineToken, verifyUsiBody('VA1803'), { proofKey: Buffer.alloc(32, 7) });
    expect(res.status).toBe(500);
    expect(faultOf(res.body)).toMatchObject({ code: 'Sender', subcode: 'InvalidSecurity', reason: 'An error occurred when verifying security for the message.' });
  });

  it('refuses a token that is not one of its own with InvalidSecurity', async () => {
    const forged = { ...machineToken, encryptedDataXml: machineToken.encryptedDataXml.replace(/(<xenc:CipherValue>)[A-Za-z0-9+/]{8}/g, '$1AAAAAAAA') };
    const res = await call(forged, verifyUsiBody('VA1803'));
    expect(faultOf(res.body)).toMatchObject({ subcode: 'InvalidSecurity' });
  });

  it('refuses a stale timestamp with InvalidSecurity', async () => {
    const res = await call(machineToken, verifyUsiBody('VA1803'), { now: new Date(Date.now() - 20 * 60_000) });
    expect(faultOf(res.body)).toMatchObject({ subcode: 'InvalidSecurity' });
  });

  it('faults 2002 when the OrgCode belongs to another ABN', async () => {
    const res = await call(machineToken, verifyUsiBody('VA1802'));
    expect(res.status).toBe(500);
    expect(errorsOf(res.body)).toEqual([expect.objectContaining({ code: 2002, title: 'Organisation Failed Authorisation' })]);
  });

  it('faults 2002 when the organisation has no web-service access', async () => {
    sim.admin.addOrganisation({ orgCode: 'NOWS01', abn: '27809366375', name: 'No access', webServiceAccess: false });
    const res = await call(machineToken, verifyUsiBody('NOWS01'));
    expect(errorsOf(res.body)).toEqual([expect.objectContaining({ code: 2002 })]);
  });

  it('faults 1002 for an unknown OrgCode', async () => {
    const res = await call(machineToken, verifyUsiBody('ZZ9999'));
    expect(errorsOf(res.body)).toEqual([{ code: 1002, title: 'Generic Validation', message: 'Organisation with OrgCode of ZZ9999 could not be found.' }]);
  });

  it('refuses an action that does not match the body', async () => {
    const res = await call(machineToken, verifyUsiBody('VA1803'), { operation: 'LocateUSI' });
    expect(faultOf(res.body)).toMatchObject({ subcode: 'ActionNotSupported' });
  });

  it('faults 1002 when the body does not decode', async () => {
    const res = await call(machineToken, '<VerifyUSI xmlns="http://usi.gov.au/2022/ws"><OrgCode>VA1803</OrgCode><Bogus/></VerifyUSI>');
    expect(errorsOf(res.body)[0]).toMatchObject({ code: 1002 });
  });

  it('serves operations without an OrgCode check failure: GetCountries, and BulkUploadRetrieve of an unknown receipt reaches the registry', async () => {
    const countries = await call(machineToken, '<GetCountries xmlns="http://usi.gov.au/2022/ws"><OrgCode>VA1803</OrgCode></GetCountries>', { operation: 'GetCountries' });
    expect(countries.status).toBe(200);
    const res = await call(machineToken, '<BulkUploadRetrieve xmlns="http://usi.gov.au/2022/ws"><ReceiptNumber>nope</ReceiptNumber></BulkUploadRetrieve>', {
      operation: 'BulkUploadRetrieve',
    });
    expect(errorsOf(res.body)[0]).toMatchObject({ code: 1002 });
  });

  it('authorises BulkUploadRetrieve by the organisation that owns the receipt', async () => {
    const upload = await call(machineToken, bulkUploadBody('VA1803'), { operation: 'BulkUpload' });
    expect(upload.status).toBe(200);
    const receipt = /<(?:\w+:)?ReceiptNumber>([^<]+)</.exec(upload.body)![1];
    const retrieve = `<BulkUploadRetrieve xmlns="http://usi.gov.au/2022/ws"><ReceiptNumber>${receipt}</ReceiptNumber></BulkUploadRetrieve>`;
    const cloud = await tokenFor(sim, { abn: '11000002568', name: 'INGLETON153' }, { firstPartyAbn: '11000002568', secondPartyAbn: '96312011219', ssid: '0000123400' });
    const foreign = await call(cloud, retrieve, { operation: 'BulkUploadRetrieve' });
    expect(errorsOf(foreign.body)).toEqual([expect.objectContaining({ code: 2002 })]);
    const own = await call(machineToken, retrieve, { operation: 'BulkUploadRetrieve' });
    expect(own.body).not.toContain('<Code>2002</Code>');
  });
});

function bulkUploadBody(orgCode: string): string {
  return (
    `<BulkUpload xmlns="http://usi.gov.au/2022/ws" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><OrgCode>${orgCode}</OrgCode>` +
    '<RequestId>bulk-owner-test</RequestId><NoOfApplications>1</NoOfApplications><Applications><Application>' +
    '<ApplicationId>1</ApplicationId><DVSCheckRequired>false</DVSCheckRequired><UserReference>ref-1</UserReference>' +
    '<ContactDetails><CountryOfResidenceCode>1101</CountryOfResidenceCode><EmailAddress>a@example.com</EmailAddress></ContactDetails>' +
    '<PersonalDetails><Gender>M</Gender><FirstName>Baldvin</FirstName><FamilyName>Schumaker</FamilyName><DateOfBirth>1990-08-24</DateOfBirth>' +
    '<CountryOfBirthCode>1101</CountryOfBirthCode><TownCityOfBirth>Springfield</TownCityOfBirth><IsPreferredName>false</IsPreferredName></PersonalDetails>' +
    '</Application></Applications></BulkUpload>'
  );
}
