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

/** What RAM says about a machine credential; the simulator's admin API sets it. */
export type CredentialStatus = 'active' | 'suspended' | 'revoked';

/**
 * Certificate authorities the STS accepts machine credentials from. Every CA certificate handed in is an anchor
 * (the ATO chain's sub-CA as well as its root), so a leaf is accepted when one anchor issued and signed it.
 */
export class TrustStore {
  private readonly anchors: X509Certificate[] = [];
  /** Credentials RAM no longer lets act, by keystore alias (`ABRD:<ABN>_<CN>`); absent = active. */
  private readonly statuses = new Map<string, Exclude<CredentialStatus, 'active'>>();

  setStatus(credentialId: string, status: CredentialStatus): void {
    if (status === 'active') this.statuses.delete(credentialId);
    else this.statuses.set(credentialId, status);
  }

  listStatuses(): { credentialId: string; status: CredentialStatus }[] {
    return [...this.statuses].map(([credentialId, status]) => ({ credentialId, status }));
  }

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
      const what = `certificate ${cert.subject.replace(/\n/g, ', ')}`;
      // An expired machine credential has its own event code; an expired CA or a not-yet-valid one is just untrusted.
      if (cert === leaf && now > new Date(cert.validTo)) throw new SimError(SIM_ERROR.credentialExpired, `${what} expired on ${cert.validTo}`);
      if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
        throw new SimError(SIM_ERROR.untrustedCertificate, `${what} is not valid at ${now.toISOString()}`);
      }
    }
    const subject = parseDn(leaf.subject);
    const abn = subject.get('O');
    if (!abn || !/^\d{11}$/.test(abn)) throw new SimError(SIM_ERROR.untrustedCertificate, 'certificate subject carries no ABN (O=)');
    const credentialId = `ABRD:${abn}_${subject.get('CN') ?? ''}`;
    const status = this.statuses.get(credentialId);
    if (status === 'suspended') throw new SimError(SIM_ERROR.credentialSuspended, `${credentialId} is suspended`);
    if (status === 'revoked') throw new SimError(SIM_ERROR.credentialRevoked, `${credentialId} is revoked`);
    return { abn, credentialId, fingerprint: createHash('sha1').update(leaf.raw).digest('base64') };
  }
}

function parseDn(dn: string): Map<string, string> {
  return new Map(dn.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]));
}
