import { createHmac } from 'node:crypto';
import { DIGEST_SHA1, HMAC_SHA1 } from './algorithms';
import { signWsse } from './wsse-signer';

export interface SignHmacOptions {
  /** The proof key (decoded RSTR BinarySecret). */
  key: Buffer;
  referenceIds: readonly string[];
  /** KeyInfo content, copied verbatim: the RSTR's RequestedAttachedReference STR. Its prefixes must be declared. */
  keyInfoXml: string;
}

/** HMAC-SHA1 / SHA-1 signature over the Timestamp, as the USI service's issued-token policy asks for. */
export function signHmac(xml: string, options: SignHmacOptions): string {
  return signWsse(xml, options.referenceIds, {
    signatureMethod: HMAC_SHA1,
    digestMethod: DIGEST_SHA1,
    sign: (signedInfo) => createHmac('sha1', options.key).update(signedInfo).digest(),
    keyInfoXml: options.keyInfoXml,
  });
}
