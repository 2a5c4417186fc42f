import type { Element } from '@xmldom/xmldom';
import { binarySecurityTokenXml } from '../soap/security-header.builder';
import { codeOf } from '../testing/expect-code';
import { createTestCredential } from '../testing/self-signed-certificate';
import { signedStsRequest, signedUsiRequest, STS_URL } from '../testing/sample-messages';
import { NS, selectElements } from '../xml/namespaces';
import { parseXml } from '../xml/parse-xml';
import { RSA_SHA1, RSA_SHA256 } from './algorithms';
import { signX509 } from './sign-x509';
import { verifyX509 } from './verify-x509';

const credential = createTestCredential('signer');
const intruder = createTestCredential('intruder');
const now = new Date('2025-06-01T10:00:00Z');
const signed = signedStsRequest(credential, now);

function replaceOnce(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  expect(out).not.toBe(xml);
  return out;
}

describe('signX509', () => {
  const doc = parseXml(signed);

  it('appends one RSA-SHA256 signature as the last child of o:Security, after Timestamp and BST', () => {
    const children = selectElements('/s:Envelope/s:Header/o:Security/*', doc).map((e) => e.localName);
    expect(children).toEqual(['Timestamp', 'BinarySecurityToken', 'Signature']);
    const [method] = selectElements('//ds:SignedInfo/ds:SignatureMethod', doc);
    expect(method.getAttribute('Algorithm')).toBe(RSA_SHA256);
    expect(selectElements('//ds:SignedInfo/ds:CanonicalizationMethod', doc)[0].getAttribute('Algorithm')).toBe(
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    );
  });

  it('references #_0 and #_1 with exc-c14n and SHA-256, and points KeyInfo at the BST', () => {
    const refs = selectElements('//ds:SignedInfo/ds:Reference', doc);
    expect(refs.map((r) => r.getAttribute('URI'))).toEqual(['#_0', '#_1']);
    for (const ref of refs) {
      expect(selectElements('ds:DigestMethod', ref)[0].getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmlenc#sha256');
      expect(selectElements('ds:Transforms/ds:Transform', ref).map((t) => t.getAttribute('Algorithm'))).toEqual([
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ]);
    }
    const [strRef] = selectElements('//ds:Signature/ds:KeyInfo/o:SecurityTokenReference/o:Reference', doc);
    expect(strRef.getAttribute('URI')).toBe('#uuid-bst-1');
    expect(strRef.getAttribute('ValueType')).toMatch(/#X509v3$/);
  });

  it('keeps the existing Ids instead of adding new ones', () => {
    expect(selectElements('//*[@u:Id]', doc).map((e) => e.getAttribute('u:Id'))).toEqual(['_1', '_0', 'uuid-bst-1']);
  });

  it('refuses to sign an Id that is missing or ambiguous', () => {
    const unsigned = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    expect(codeOf(() => signX509(unsigned, { privateKey: credential.privateKey, bstId: 'uuid-bst-1', referenceIds: ['_9'] }))).toBe(
      'wsse.reference_not_found',
    );
    const twice = unsigned.replace('<s:Body>', '<s:Body><x u:Id="_0"/>');
    expect(codeOf(() => signX509(twice, { privateKey: credential.privateKey, bstId: 'uuid-bst-1', referenceIds: ['_0'] }))).toBe(
      'wsse.reference_not_found',
    );
  });
});

describe('verifyX509', () => {
  it('verifies a signed STS request and says what was signed', () => {
    const doc = parseXml(signed);
    const result = verifyX509(doc);
    expect(result.certificateDer).toEqual(credential.certificateDer);
    expect(result.signedIds).toEqual(['_0', '_1']);
    expect(result.signedElements.get('_0')).toBe(selectElements('/s:Envelope/s:Header/o:Security/u:Timestamp', doc)[0]);
    expect(result.signedElements.get('_1')).toBe(selectElements('/s:Envelope/s:Header/a:To', doc)[0]);
  });

  it.each([
    ['Timestamp Created', (xml: string) => replaceOnce(xml, '<u:Created>2025-06-01T10:00:00.000Z', '<u:Created>2025-06-01T10:04:00.000Z')],
    ['Timestamp Expires', (xml: string) => replaceOnce(xml, '<u:Expires>2025-06-01T10:05:00.000Z', '<u:Expires>2025-06-02T10:05:00.000Z')],
    ['a:To', (xml: string) => replaceOnce(xml, `>${STS_URL}<`, '>https://evil.example/sts<')],
    ['a digest value', (xml: string) => replaceOnce(xml, /<ds:DigestValue>./, '<ds:DigestValue>A')],
    ['a reference URI in SignedInfo', (xml: string) => replaceOnce(xml, 'URI="#_1"', 'URI="#uuid-bst-1"')],
    ['the SignatureValue', (xml: string) => replaceOnce(xml, /<ds:SignatureValue>../, '<ds:SignatureValue>AA')],
    [
      'the certificate (another BST with the same Id)',
      (xml: string) =>
        replaceOnce(xml, /<o:BinarySecurityToken[\s\S]*?<\/o:BinarySecurityToken>/, binarySecurityTokenXml(intruder.certificateDer, 'uuid-bst-1')),
    ],
  ])('rejects a message whose %s was altered', (_what, tamper) => {
    expect(codeOf(() => verifyX509(parseXml(tamper(signed))))).toBe('wsse.bad_signature');
  });

  it('rejects a signature made by another key than the certificate sent', () => {
    const forged = signedStsRequest({ ...intruder, certificateDer: credential.certificateDer }, now);
    expect(codeOf(() => verifyX509(parseXml(forged)))).toBe('wsse.bad_signature');
  });

  it('rejects signature wrapping with a duplicate u:Id="_0"', () => {
    const timestamp = signed.match(/<u:Timestamp[\s\S]*?<\/u:Timestamp>/)![0];
    const wrapped = replaceOnce(signed, '<s:Body>', `<s:Body><Wrapper xmlns="urn:evil">${timestamp}</Wrapper>`);
    expect(codeOf(() => verifyX509(parseXml(wrapped)))).toBe('wsse.bad_signature');
    const plainId = replaceOnce(signed, '<s:Body>', '<s:Body><x Id="_0"/>');
    expect(codeOf(() => verifyX509(parseXml(plainId)))).toBe('wsse.bad_signature');
  });

  it('exposes a moved signed element so callers can reject it', () => {
    // Classic wrapping: the signed a:To is moved into a wrapper and an unsigned one takes its place.
    const signedTo = signed.match(/<a:To [\s\S]*?<\/a:To>/)![0];
    const moved = replaceOnce(signed, signedTo, '<a:To s:mustUnderstand="1">https://evil.example/sts</a:To>').replace(
      '<s:Body>',
      `<s:Body><Wrapper xmlns="urn:evil">${signedTo}</Wrapper>`,
    );
    const doc = parseXml(moved);
    const result = verifyX509(doc);
    const headerTo = selectElements('/s:Envelope/s:Header/a:To', doc)[0];
    expect(result.signedElements.get('_1')).not.toBe(headerTo);
    expect((result.signedElements.get('_1')!.parentNode as Element).localName).toBe('Wrapper');
  });

  it('rejects a second signature anywhere in the message', () => {
    const signature = signed.match(/<ds:Signature[\s\S]*<\/ds:Signature>/)![0];
    const doubled = replaceOnce(signed, '<s:Body>', `<s:Body>${signature}`);
    expect(codeOf(() => verifyX509(parseXml(doubled)))).toBe('wsse.bad_signature');
  });

  it('rejects a KeyInfo that does not point at a BST in the Security header', () => {
    const elsewhere = replaceOnce(signed, 'URI="#uuid-bst-1"', 'URI="#_0"');
    expect(codeOf(() => verifyX509(parseXml(elsewhere)))).toBe('wsse.bad_signature');
    const missing = replaceOnce(signed, 'URI="#uuid-bst-1"', 'URI="#nope"');
    expect(codeOf(() => verifyX509(parseXml(missing)))).toBe('wsse.bad_signature');
  });

  it('reports a missing signature', () => {
    const unsigned = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    expect(codeOf(() => verifyX509(parseXml(unsigned)))).toBe('wsse.missing_signature');
    expect(codeOf(() => verifyX509(parseXml(`<s:Envelope xmlns:s="${NS.soap12}"><s:Body/></s:Envelope>`)))).toBe(
      'wsse.missing_signature',
    );
  });

  it('accepts only rsa-sha256 unless rsa-sha1 is explicitly allowed', () => {
    const sha1 = replaceOnce(signed, `Algorithm="${RSA_SHA256}"`, `Algorithm="${RSA_SHA1}"`);
    expect(codeOf(() => verifyX509(parseXml(sha1)))).toBe('wsse.unsupported_algorithm');
    // Allowed, the algorithm passes the policy check, and the (SHA-256) signature value then fails on its own.
    expect(codeOf(() => verifyX509(parseXml(sha1), { allowRsaSha1: true }))).toBe('wsse.bad_signature');
  });

  it('refuses SHA-1 digests and HMAC signatures', () => {
    const sha1Digest = signed.replace(/http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256/g, 'http://www.w3.org/2000/09/xmldsig#sha1');
    expect(codeOf(() => verifyX509(parseXml(sha1Digest)))).toBe('wsse.unsupported_algorithm');
    expect(codeOf(() => verifyX509(parseXml(signedUsiRequest(Buffer.alloc(32, 1), now))))).toBe('wsse.unsupported_algorithm');
  });
});
