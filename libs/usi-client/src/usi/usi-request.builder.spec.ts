import { encodeRequest } from '@usi/contract';
import { parseXml, selectElements, verifyHmac } from '@usi/ws-security';
import { ENCRYPTED_DATA, PROOF, STR } from '../testing/rstr.fixture';
import { SecurityToken } from '../token/security-token';
import { buildUsiRequest } from './usi-request.builder';

const NOW = new Date('2026-03-01T00:10:00.000Z');
const token: SecurityToken = {
  tokenXml: ENCRYPTED_DATA,
  attachedReferenceXml: STR,
  proofKey: PROOF,
  created: new Date('2026-03-01T00:00:00.000Z'),
  expires: new Date('2026-03-01T01:00:00.000Z'),
};

describe('buildUsiRequest', () => {
  const records = Array.from({ length: 3 }, (_, i) => ({
    recordId: i + 1, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25',
  }));
  const request = { orgCode: 'VA1803', noOfVerifications: records.length, verifications: records };

  it('signs the Timestamp and carries the token and the body the signer never saw', () => {
    const { xml, action } = buildUsiRequest({ op: 'BulkVerifyUSI', request, token, usiUrl: 'https://usi.test/usi', now: NOW });
    const doc = parseXml(xml);

    expect(action).toBe('http://usi.gov.au/2022/ws/BulkVerifyUSI');
    expect(verifyHmac(doc, PROOF).signedIds).toEqual(['_0']);
    expect(selectElements('/s:Envelope/s:Header/o:Security/*', doc).map((e) => e.localName)).toEqual(['Timestamp', 'EncryptedData', 'Signature']);
    expect(xml).toContain(`<s:Body>${encodeRequest('BulkVerifyUSI', request)}</s:Body></s:Envelope>`);
    expect(xml.split(ENCRYPTED_DATA)).toHaveLength(2);
  });

  it('fails verification with another proof key', () => {
    const { xml } = buildUsiRequest({ op: 'BulkVerifyUSI', request, token, usiUrl: 'https://usi.test/usi', now: NOW });
    expect(() => verifyHmac(parseXml(xml), Buffer.alloc(32, 7))).toThrow();
  });
});
