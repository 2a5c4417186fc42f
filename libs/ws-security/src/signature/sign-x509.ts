import { sign, type KeyObject } from 'node:crypto';
import { bstReferenceXml } from '../soap/security-header.builder';
import { DIGEST_SHA256, RSA_SHA256 } from './algorithms';
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
  return signWsse(xml, options.referenceIds, {
    signatureMethod: RSA_SHA256,
    digestMethod: DIGEST_SHA256,
    sign: (signedInfo) => sign('sha256', signedInfo, options.privateKey),
    keyInfoXml: bstReferenceXml(options.bstId),
  });
}
