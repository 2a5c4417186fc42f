import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import * as forge from 'node-forge';
import type { ServiceIdentity } from '../token/token-sealer';

const VALIDITY_YEARS = 10;

/**
 * The USI service's encryption certificate: the STS wraps token keys to it. It is self-signed because nothing
 * validates it; clients never see it (the assertion is opaque to them).
 */
export function createServiceIdentityPem(now: Date): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + VALIDITY_YEARS * 365 * 24 * 3600 * 1000);
  const subject = [
    { shortName: 'C', value: 'AU' },
    { shortName: 'O', value: 'USI Simulator' },
    { shortName: 'CN', value: 'USI Simulator Service Encryption' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'keyUsage', keyEncipherment: true, dataEncipherment: true }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export function serviceIdentityFromPem(pem: { keyPem: string; certPem: string }): ServiceIdentity {
  return { privateKey: createPrivateKey(pem.keyPem), certificate: new X509Certificate(pem.certPem) };
}
