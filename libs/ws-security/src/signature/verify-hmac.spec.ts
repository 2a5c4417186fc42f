import { randomBytes } from 'node:crypto';
import { codeOf } from '../testing/expect-code';
import { createTestCredential } from '../testing/self-signed-certificate';
import { SAML_STR_XML, signedStsRequest, signedUsiRequest } from '../testing/sample-messages';
import { selectElements } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { HMAC_SHA1 } from './algorithms';
import { verifyHmac } from './verify-hmac';

const proofKey = randomBytes(32);
const now = new Date('2025-06-01T10:00:00Z');
const signed = signedUsiRequest(proofKey, now);

describe('signHmac', () => {
  const doc = parseXml(signed);

  it('signs only the Timestamp with HMAC-SHA1 and a SHA-1 digest, after the token in o:Security', () => {
    expect(selectElements('/s:Envelope/s:Header/o:Security/*', doc).map((e) => e.localName)).toEqual([
      'Timestamp',
      'EncryptedData',
      'Signature',
    ]);
    expect(selectElements('//ds:SignatureMethod', doc)[0].getAttribute('Algorithm')).toBe(HMAC_SHA1);
    const refs = selectElements('//ds:SignedInfo/ds:Reference', doc);
    expect(refs.map((r) => r.getAttribute('URI'))).toEqual(['#_0']);
    expect(selectElements('ds:DigestMethod', refs[0])[0].getAttribute('Algorithm')).toBe('http://www.w3.org/2000/09/xmldsig#sha1');
    expect(Buffer.from(selectElements('//ds:SignatureValue', doc)[0].textContent!, 'base64')).toHaveLength(20);
  });

  it('copies the token reference into KeyInfo verbatim', () => {
    expect(signed).toContain(`<ds:KeyInfo>${SAML_STR_XML}</ds:KeyInfo>`);
  });
});

describe('verifyHmac', () => {
  it('verifies with the proof key and reports the signed Timestamp', () => {
    const doc = parseXml(signed);
    const result = verifyHmac(doc, proofKey);
    expect(result.signedIds).toEqual(['_0']);
    expect(result.signedElements.get('_0')).toBe(selectElements('/s:Envelope/s:Header/o:Security/u:Timestamp', doc)[0]);
  });

  it('rejects a wrong key', () => {
    expect(codeOf(() => verifyHmac(parseXml(signed), randomBytes(32)))).toBe('wsse.bad_signature');
    expect(codeOf(() => verifyHmac(parseXml(signed), proofKey.subarray(0, 31)))).toBe('wsse.bad_signature');
  });

  it('rejects a tampered Timestamp', () => {
    const tampered = signed.replace('<u:Expires>2025-06-01T10:05:00.000Z', '<u:Expires>2025-06-02T10:05:00.000Z');
    expect(tampered).not.toBe(signed);
    expect(codeOf(() => verifyHmac(parseXml(tampered), proofKey))).toBe('wsse.bad_signature');
  });

  it('rejects a truncated MAC requested through HMACOutputLength', () => {
    const truncated = signed.replace(
      `<ds:SignatureMethod Algorithm="${HMAC_SHA1}"/>`,
      `<ds:SignatureMethod Algorithm="${HMAC_SHA1}"><ds:HMACOutputLength>8</ds:HMACOutputLength></ds:SignatureMethod>`,
    );
    expect(truncated).not.toBe(signed);
    expect(codeOf(() => verifyHmac(parseXml(truncated), proofKey))).toBe('wsse.unsupported_algorithm');
  });

  it('refuses an RSA-signed message (no key confusion between the two verifiers)', () => {
    const rsaSigned = signedStsRequest(createTestCredential(), now);
    expect(codeOf(() => verifyHmac(parseXml(rsaSigned), proofKey))).toBe('wsse.unsupported_algorithm');
  });

  it('rejects a duplicated Timestamp Id', () => {
    const timestamp = signed.match(/<u:Timestamp[\s\S]*?<\/u:Timestamp>/)![0];
    const wrapped = signed.replace('<s:Body>', `<s:Body>${timestamp}`);
    expect(codeOf(() => verifyHmac(parseXml(wrapped), proofKey))).toBe('wsse.bad_signature');
  });
});
