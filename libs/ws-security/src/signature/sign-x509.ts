import type { KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { bstReferenceXml } from '../soap/security-header.builder';
import { DIGEST_SHA256, EXC_C14N, RSA_SHA256 } from './algorithms';
import { signWsse } from './wsse-signer';

export interface SignX509Options {
  privateKey: KeyObject;
  /** `u:Id` of the BinarySecurityToken already in `o:Security`; KeyInfo points at it. */
  bstId: string;
  /** `u:Id`s to sign, normally `['_0', '_1']` (Timestamp and `a:To`). */
  referenceIds: readonly string[];
}

/** RSA-SHA256 / exc-c14n / SHA-256 signature as MAS-ST S007v1.3 requires on the RST. */
export function signX509(xml: string, options: SignX509Options): string {
  const sig = new SignedXml({
    privateKey: options.privateKey,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    idMode: 'wssecurity',
    getKeyInfoContent: () => bstReferenceXml(options.bstId),
  });
  return signWsse(xml, sig, options.referenceIds, DIGEST_SHA256);
}
