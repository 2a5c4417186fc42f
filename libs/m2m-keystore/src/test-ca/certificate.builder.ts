import { KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { asn1FromDer, asn1ToDer, toForgeBytes } from '../crypto/forge-bytes';

export interface CertificateSpec {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** forge extension descriptors (see forge.pki.Certificate#setExtensions). */
  extensions: object[];
}

/** One DN attribute. @types/node-forge types valueTagClass as asn1.Class; forge reads it as the universal tag. */
export function dnAttribute(
  attribute: { shortName: string } | { type: string },
  value: string,
  tag: forge.asn1.Type,
): forge.pki.CertificateField {
  return { ...attribute, value, valueTagClass: tag as unknown as forge.asn1.Class };
}

const getTbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 })
  .getTBSCertificate;

/** A positive 16-byte serial without a leading zero byte, so its DER INTEGER is always 16 bytes. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/**
 * Builds an X.509 v3 certificate with node-forge and signs it (sha256WithRSAEncryption) with node:crypto, so the
 * signing key never has to be converted into a forge key.
 */
export function buildCertificate(spec: CertificateSpec, signingKey: KeyObject): Buffer {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromAsn1(asn1FromDer(spec.publicKey.export({ format: 'der', type: 'spki' })));
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  cert.setExtensions(spec.extensions);
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = getTbsCertificate(cert);
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = toForgeBytes(sign('sha256', asn1ToDer(tbs), signingKey));
  return asn1ToDer(forge.pki.certificateToAsn1(cert));
}
