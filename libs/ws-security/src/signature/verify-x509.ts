import { verify, X509Certificate } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { BST_ENCODING_BASE64, BST_VALUE_TYPE_X509V3 } from '../soap/security-header.builder';
import { selectElements } from '../xml/namespaces';
import { DIGEST_SHA256, RSA_SHA1, RSA_SHA256 } from './algorithms';
import { bad, checkSignatureValue, checkSignedInfo, elementWithId, findWsseSignature, type VerifiedReferences } from './wsse-verifier';

export interface VerifyX509Options {
  /** Also accept rsa-sha1 (the legacy S007v1.2 STS); digests must still be SHA-256. Off by default. */
  allowRsaSha1?: boolean;
}

export interface VerifiedX509 extends VerifiedReferences {
  /** The signer's certificate, from the BinarySecurityToken the KeyInfo points at. Trust is the caller's call. */
  certificateDer: Buffer;
}

/**
 * Strict check of an X.509-signed WS-Security message (the STS request): the single signature's KeyInfo must be an
 * STR to a BinarySecurityToken in the same Security header, and that certificate's key must verify it.
 */
export function verifyX509(doc: Document, options: VerifyX509Options = {}): VerifiedX509 {
  const parts = findWsseSignature(doc);
  const references = checkSignedInfo(doc, parts, {
    signatureMethods: options.allowRsaSha1 ? [RSA_SHA256, RSA_SHA1] : [RSA_SHA256],
    digestMethod: DIGEST_SHA256,
  });
  const bst = referencedToken(doc, parts.signature, parts.security);
  const certificateDer = Buffer.from((bst.textContent ?? '').replace(/\s+/g, ''), 'base64');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateDer);
  } catch {
    throw bad('the BinarySecurityToken is not an X.509 certificate');
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') throw bad('the certificate key is not RSA');
  const method = selectElements('ds:SignatureMethod', parts.signedInfo)[0].getAttribute('Algorithm');
  const hash = method === RSA_SHA1 ? 'sha1' : 'sha256';
  checkSignatureValue(parts, references, (signedInfo, value) => verify(hash, signedInfo, certificate.publicKey, value));
  return { certificateDer, ...references };
}

function referencedToken(doc: Document, signature: Element, security: Element): Element {
  const refs = selectElements('ds:KeyInfo/o:SecurityTokenReference/o:Reference', signature);
  const keyInfoChildren = selectElements('ds:KeyInfo/*', signature);
  if (refs.length !== 1 || keyInfoChildren.length !== 1) {
    throw bad('KeyInfo must be one SecurityTokenReference to a BinarySecurityToken');
  }
  const uri = refs[0].getAttribute('URI') ?? '';
  if (!uri.startsWith('#')) throw bad('the SecurityTokenReference must point into the message');
  const token = elementWithId(doc, uri.slice(1));
  const isBst = token.localName === 'BinarySecurityToken' && token.parentNode === security;
  if (!isBst || !selectElements('o:BinarySecurityToken', security).includes(token)) {
    throw bad('KeyInfo does not point at a BinarySecurityToken in the Security header');
  }
  const encoding = token.getAttribute('EncodingType');
  if (token.getAttribute('ValueType') !== BST_VALUE_TYPE_X509V3 || (encoding && encoding !== BST_ENCODING_BASE64)) {
    throw bad('the BinarySecurityToken is not a base64 X509v3 token');
  }
  return token;
}
