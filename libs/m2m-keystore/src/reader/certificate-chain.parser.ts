import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { decodeBase64Strict } from '../crypto/base64';
import { asn1FromDer, asn1ToDer } from '../crypto/forge-bytes';
import { KeystoreError } from '../keystore.error';

export interface CertificateChain {
  /** DER, leaf first, then the remaining certificates in file order. */
  chain: Buffer[];
  leaf: forge.pki.Certificate;
  serialNumber: string;
  sha1Fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

function malformed(id: string, reason: string): KeystoreError {
  return new KeystoreError('keystore.malformed', `Credential ${id}: ${reason}`, { id, reason });
}

function parseCertificates(id: string, base64: string): forge.pki.Certificate[] {
  const bytes = decodeBase64Strict(base64);
  if (!bytes) throw malformed(id, 'publicCertificate is not base64');
  let message: forge.pkcs7.PkcsSignedData;
  try {
    // The ATO files use BER indefinite lengths; forge's fromDer accepts them.
    message = forge.pkcs7.messageFromAsn1(asn1FromDer(bytes)) as forge.pkcs7.PkcsSignedData;
  } catch {
    throw malformed(id, 'publicCertificate is not a PKCS#7 SignedData');
  }
  if (!Array.isArray(message.certificates) || message.certificates.length === 0) {
    throw malformed(id, 'publicCertificate holds no certificates');
  }
  return message.certificates;
}

function serialToDecimal(hex: string): string {
  return BigInt(`0x${hex}`).toString(10);
}

/**
 * The leaf is the certificate whose serial equals the declared `serialNumber`; without a match, certificates[0]
 * (what the official samples use, and the leaf in every public store).
 */
function pickLeaf(certificates: forge.pki.Certificate[], declaredSerial: string): number {
  if (!/^\d+$/.test(declaredSerial)) return 0;
  const index = certificates.findIndex((c) => serialToDecimal(c.serialNumber) === BigInt(declaredSerial).toString(10));
  return index < 0 ? 0 : index;
}

/** Decodes `publicCertificate` and identifies the leaf; the leaf certificate's own fields are authoritative. */
export function parseCertificateChain(id: string, publicCertificate: string, declaredSerial: string): CertificateChain {
  const certificates = parseCertificates(id, publicCertificate);
  const leafIndex = pickLeaf(certificates, declaredSerial);
  const ordered = [certificates[leafIndex], ...certificates.filter((_, i) => i !== leafIndex)];
  // certificateToAsn1 reuses the parsed tbsCertificate, so the DER is byte-identical to the file's.
  const chain = ordered.map((c) => asn1ToDer(forge.pki.certificateToAsn1(c)));
  const leaf = ordered[0];
  return {
    chain,
    leaf,
    serialNumber: serialToDecimal(leaf.serialNumber),
    sha1Fingerprint: createHash('sha1').update(chain[0]).digest('base64'),
    notBefore: leaf.validity.notBefore,
    notAfter: leaf.validity.notAfter,
  };
}
