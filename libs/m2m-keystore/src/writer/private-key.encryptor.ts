import { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { asn1FromDer, asn1ToDer, fromForgeBytes } from '../crypto/forge-bytes';

export const PBE_ITERATIONS = 1024;
export const PBE_SALT_BYTES = 20;

export interface ProtectedPrivateKey {
  /** DER PKCS#8 EncryptedPrivateKeyInfo. */
  encrypted: Buffer;
  /** The PBE salt inside `encrypted`; the keystore repeats it as `credentialSalt`. */
  salt: Buffer;
}

/**
 * PKCS#8 EncryptedPrivateKeyInfo with pbeWithSHAAnd3-KeyTripleDES-CBC (1.2.840.113549.1.12.1.3), 1024 iterations and a
 * 20-byte salt, as in the ATO stores. forge's '3des' option is exactly this PKCS#12 PBE (not PBES2).
 */
export function encryptPrivateKey(privateKey: KeyObject, password: string): ProtectedPrivateKey {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    const encrypted = forge.pki.encryptPrivateKeyInfo(asn1FromDer(der), password, {
      algorithm: '3des',
      count: PBE_ITERATIONS,
      saltSize: PBE_SALT_BYTES,
    });
    const [algorithm] = encrypted.value as forge.asn1.Asn1[];
    const [, params] = algorithm.value as forge.asn1.Asn1[];
    const [salt] = params.value as forge.asn1.Asn1[];
    return { encrypted: asn1ToDer(encrypted), salt: fromForgeBytes(salt.value as string) };
  } finally {
    der.fill(0);
  }
}
