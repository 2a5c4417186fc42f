import { createHmac } from 'node:crypto';
import type { Document } from '@xmldom/xmldom';
import { DIGEST_SHA1, HMAC_SHA1 } from './algorithms';
import { checkSignatureValue, checkSignedInfo, findWsseSignature, sameBytes, type VerifiedReferences } from './wsse-verifier';

/**
 * Strict check of an HMAC-SHA1 (proof-key) signed message (the USI call). The caller finds the key from the
 * KeyInfo token reference first; this only proves the sender holds it. Only HMAC-SHA1 is accepted here and only RSA
 * in `verifyX509`: a verifier that took both would let a public key be used as an HMAC secret (key confusion).
 */
export function verifyHmac(doc: Document, key: Buffer): VerifiedReferences {
  const parts = findWsseSignature(doc);
  const references = checkSignedInfo(doc, parts, { signatureMethods: [HMAC_SHA1], digestMethod: DIGEST_SHA1 });
  checkSignatureValue(parts, references, (signedInfo, value) => sameBytes(createHmac('sha1', key).update(signedInfo).digest(), value));
  return references;
}
