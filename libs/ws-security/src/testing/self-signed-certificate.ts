import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as forge from 'node-forge';

export interface TestCredential {
  privateKey: KeyObject;
  certificateDer: Buffer;
  certificatePem: string;
}

/** A throwaway RSA key and self-signed certificate for signing tests (key by node:crypto, certificate by forge). */
export function createTestCredential(commonName = 'ws-security test'): TestCredential {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forgeKey, forge.md.sha256.create());
  const certificateDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { privateKey: createPrivateKey(pem), certificateDer, certificatePem: forge.pki.certificateToPem(cert) };
}
