import forge from 'node-forge';
import { asn1FromDer, asn1ToDer } from '../crypto/forge-bytes';

const { asn1 } = forge;
const { UNIVERSAL, CONTEXT_SPECIFIC } = asn1.Class;
const { SEQUENCE, SET, OID, INTEGER, NULL } = asn1.Type;

const oid = (dotted: string) => asn1.create(UNIVERSAL, OID, false, asn1.oidToDer(dotted).getBytes());

/**
 * PKCS#7 SignedData holding only certificates (no signers, no content) like the ATO's `publicCertificate`, but in
 * DER rather than BER indefinite length. Certificates are embedded byte for byte.
 */
export function encodeCertificateBundle(chain: Buffer[]): Buffer {
  const signedData = asn1.create(UNIVERSAL, SEQUENCE, true, [
    asn1.create(UNIVERSAL, INTEGER, false, asn1.integerToDer(1).getBytes()),
    asn1.create(UNIVERSAL, SET, true, [
      asn1.create(UNIVERSAL, SEQUENCE, true, [oid(forge.pki.oids.sha256), asn1.create(UNIVERSAL, NULL, false, '')]),
    ]),
    asn1.create(UNIVERSAL, SEQUENCE, true, [oid(forge.pki.oids.data)]),
    asn1.create(CONTEXT_SPECIFIC, 0, true, chain.map(asn1FromDer)),
    asn1.create(UNIVERSAL, SET, true, []),
  ]);
  return asn1ToDer(
    asn1.create(UNIVERSAL, SEQUENCE, true, [
      oid(forge.pki.oids.signedData),
      asn1.create(CONTEXT_SPECIFIC, 0, true, [signedData]),
    ]),
  );
}
