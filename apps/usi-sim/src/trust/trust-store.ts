import { createHash, X509Certificate } from 'node:crypto';
import { SIM_ERROR, SimError } from '../errors/sim-error';

/** The identity a verified leaf certificate speaks for. */
export interface CertifiedParty {
  abn: string;
  /** `ABRD:<ABN>_<CN>`, the keystore alias form. */
  credentialId: string;
  /** base64(SHA-1(leaf DER)), as the keystore's sha1fingerprint. */
  fingerprint: string;
}

/**
 * Certificate authorities the STS accepts machine credentials from. Every CA certificate handed in is an anchor
 * (the ATO chain's sub-CA as well as its root), so a leaf is accepted when one anchor issued and signed it.
 */
export class TrustStore {
  private readonly anchors: X509Certificate[] = [];

  add(der: Buffer): void {
    const cert = new X509Certificate(der);
    if (cert.ca && !this.anchors.some((a) => a.fingerprint256 === cert.fingerprint256)) this.anchors.push(cert);
  }

  get size(): number {
    return this.anchors.length;
  }

  verifyLeaf(leafDer: Buffer, now: Date): CertifiedParty {
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(leafDer);
    } catch {
      throw new SimError(SIM_ERROR.untrustedCertificate, 'the BinarySecurityToken is not an X.509 certificate');
    }
    const issuer = this.anchors.find((a) => leaf.checkIssued(a) && leaf.verify(a.publicKey));
    if (!issuer) throw new SimError(SIM_ERROR.untrustedCertificate, 'certificate is not issued by a trusted authority');
    for (const cert of [leaf, issuer]) {
      if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
        throw new SimError(SIM_ERROR.untrustedCertificate, `certificate ${cert.subject.replace(/\n/g, ', ')} is not valid at ${now.toISOString()}`);
      }
    }
    const subject = parseDn(leaf.subject);
    const abn = subject.get('O');
    if (!abn || !/^\d{11}$/.test(abn)) throw new SimError(SIM_ERROR.untrustedCertificate, 'certificate subject carries no ABN (O=)');
    return {
      abn,
      credentialId: `ABRD:${abn}_${subject.get('CN') ?? ''}`,
      fingerprint: createHash('sha1').update(leaf.raw).digest('base64'),
    };
  }
}

function parseDn(dn: string): Map<string, string> {
  return new Map(dn.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]));
}
