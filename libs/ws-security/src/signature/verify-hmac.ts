import type { Document } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { DIGEST_SHA1, HMAC_SHA1 } from './algorithms';
import { checkSignedInfo, findWsseSignature, runSignatureCheck, type VerifiedReferences } from './wsse-verifier';

/**
 * Strict check of an HMAC-SHA1 (proof-key) signed message (the USI call). The caller finds the key from the
 * KeyInfo token reference first; this only proves the sender holds it.
 */
export function verifyHmac(doc: Document, key: Buffer): VerifiedReferences {
  const parts = findWsseSignature(doc);
  const references = checkSignedInfo(doc, parts, { signatureMethods: [HMAC_SHA1], digestMethod: DIGEST_SHA1 });
  const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
  // A separate instance with only HMAC enabled: RSA and HMAC must never be accepted by the same verifier.
  sig.enableHMAC();
  runSignatureCheck(doc, parts.signature, sig);
  return references;
}
