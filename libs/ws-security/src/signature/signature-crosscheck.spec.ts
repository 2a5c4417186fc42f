import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { WsSecurityError } from '../errors/ws-security.error';
import { codeOf } from '../testing/expect-code';
import { createTestCredential } from '../testing/self-signed-certificate';
import { signedStsRequest, signedUsiRequest } from '../testing/sample-messages';
import { parseXml } from '../xml/parse-xml';
import { DIGEST_SHA1, DIGEST_SHA256, EXC_C14N, HMAC_SHA1, RSA_SHA256 } from './algorithms';
import { verifyHmac } from './verify-hmac';
import { verifyX509 } from './verify-x509';

/*
 * Differential check of our core validation against xml-crypto, an independent implementation of exclusive c14n,
 * digests and signature values: messages signed by xml-crypto must verify with ours, and on every variant below both
 * must reach the same verdict. Our signer and verifier share one c14n, so a round trip alone could not catch a bug in it.
 */
const now = new Date('2025-06-01T10:00:00Z');
const proofKey = randomBytes(32);
const credential = createTestCredential('crosscheck');
const TIMESTAMP = "//*[local-name(.)='Timestamp']";
const SECURITY = { reference: "//*[local-name(.)='Security']", action: 'append' as const };

function withoutSignature(xml: string): string {
  const out = xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
  expect(out).not.toBe(xml);
  return out;
}

function signHmacWithXmlCrypto(xml: string): string {
  const sig = new SignedXml({ privateKey: proofKey, signatureAlgorithm: HMAC_SHA1, canonicalizationAlgorithm: EXC_C14N, idMode: 'wssecurity' });
  sig.enableHMAC();
  sig.addReference({ xpath: TIMESTAMP, transforms: [EXC_C14N], digestAlgorithm: DIGEST_SHA1 });
  sig.computeSignature(xml, { prefix: 'ds', location: SECURITY });
  return sig.getSignedXml();
}

function signX509WithXmlCrypto(xml: string, keyInfo: string): string {
  const sig = new SignedXml({
    privateKey: credential.privateKey.export({ type: 'pkcs1', format: 'pem' }),
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    idMode: 'wssecurity',
    getKeyInfoContent: () => keyInfo,
  });
  sig.addReference({ xpath: TIMESTAMP, transforms: [EXC_C14N], digestAlgorithm: DIGEST_SHA256 });
  sig.addReference({ xpath: "//*[@*[local-name(.)='Id']='_1']", transforms: [EXC_C14N], digestAlgorithm: DIGEST_SHA256 });
  sig.computeSignature(xml, { prefix: 'ds', location: SECURITY });
  return sig.getSignedXml();
}

function xmlCryptoVerdict(xml: string, key: Buffer | string, hmac: boolean): boolean {
  const doc = parseXml(xml);
  const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
  const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
  if (hmac) sig.enableHMAC();
  try {
    sig.loadSignature(signature as unknown as globalThis.Node);
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

/** true when `verify` accepts; a refusal must be a WsSecurityError (anything else fails the test). */
function ourVerdict(verify: () => unknown): boolean {
  try {
    verify();
    return true;
  } catch (error) {
    if (error instanceof WsSecurityError) return false;
    throw error;
  }
}

/** Each variant keeps or breaks the signature the same way for any correct verifier. */
const VARIANTS: [string, (xml: string) => string, boolean][] = [
  ['as signed', (x) => x, true],
  ['a comment inside the Timestamp (c14n without comments drops it)', (x) => x.replace('<u:Created>', '<!-- note --><u:Created>'), true],
  ['Created changed', (x) => x.replace(/<u:Created>[^<]+/, '<u:Created>2025-06-01T09:59:00.000Z'), false],
  ['whitespace added inside the Timestamp', (x) => x.replace('<u:Created>', '\n  <u:Created>'), false],
  ['an attribute added to the Timestamp', (x) => x.replace('<u:Timestamp ', '<u:Timestamp extra="1" '), false],
  ['an unused namespace declared on the Timestamp (exclusive c14n omits it)', (x) => x.replace('<u:Timestamp ', '<u:Timestamp xmlns:z="urn:unused" '), true],
  ['SignatureValue altered', (x) => x.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`), false],
  ['DigestValue altered', (x) => x.replace(/<ds:DigestValue>(.)/, (_m, c: string) => `<ds:DigestValue>${c === 'A' ? 'B' : 'A'}`), false],
];

describe('core validation agrees with xml-crypto', () => {
  describe('HMAC-SHA1, signed by xml-crypto', () => {
    const signed = signHmacWithXmlCrypto(withoutSignature(signedUsiRequest(proofKey, now)));

    it.each(VARIANTS)('%s', (_what, change, valid) => {
      const xml = change(signed);
      if (_what !== 'as signed') expect(xml).not.toBe(signed);
      expect(xmlCryptoVerdict(xml, proofKey, true)).toBe(valid);
      expect(ourVerdict(() => verifyHmac(parseXml(xml), proofKey))).toBe(valid);
    });

    it('refuses the right MAC under another key', () => {
      expect(codeOf(() => verifyHmac(parseXml(signed), randomBytes(32)))).toBe('wsse.bad_signature');
    });
  });

  describe('RSA-SHA256, signed by xml-crypto', () => {
    const ours = signedStsRequest(credential, now);
    const keyInfo = /<ds:KeyInfo>([\s\S]*?)<\/ds:KeyInfo>/.exec(ours)![1];
    const signed = signX509WithXmlCrypto(withoutSignature(ours), keyInfo);

    it.each(VARIANTS)('%s', (_what, change, valid) => {
      const xml = change(signed);
      expect(xmlCryptoVerdict(xml, credential.certificatePem, false)).toBe(valid);
      expect(ourVerdict(() => verifyX509(parseXml(xml)))).toBe(valid);
    });

    it('refuses a change to the second signed element (a:To)', () => {
      const xml = signed.replace(/(u:Id="_1"[^>]*>)([^<]+)/, (_m, open: string, to: string) => `${open}${to}x`);
      expect(xml).not.toBe(signed);
      expect(xmlCryptoVerdict(xml, credential.certificatePem, false)).toBe(false);
      expect(codeOf(() => verifyX509(parseXml(xml)))).toBe('wsse.bad_signature');
    });
  });
});
