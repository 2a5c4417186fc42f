import { SignedXml } from 'xml-crypto';
import { DIGEST_SHA1, EXC_C14N, HMAC_SHA1 } from './algorithms';
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
  const sig = new SignedXml({
    privateKey: options.key,
    signatureAlgorithm: HMAC_SHA1,
    canonicalizationAlgorithm: EXC_C14N,
    idMode: 'wssecurity',
  });
  // HMAC is off by default in xml-crypto 6 (key confusion); enabling it also resets getKeyInfoContent.
  sig.enableHMAC();
  sig.getKeyInfoContent = () => options.keyInfoXml;
  return signWsse(xml, sig, options.referenceIds, DIGEST_SHA1);
}
