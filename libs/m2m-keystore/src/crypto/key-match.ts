import { createPublicKey, KeyObject, X509Certificate } from 'node:crypto';

/** True when the private key is the partner of the certificate's public key (compared as SPKI DER). */
export function keyMatchesCertificate(privateKey: KeyObject, certificateDer: Buffer): boolean {
  const fromKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const fromCert = new X509Certificate(certificateDer).publicKey.export({ format: 'der', type: 'spki' });
  return fromKey.equals(fromCert);
}
