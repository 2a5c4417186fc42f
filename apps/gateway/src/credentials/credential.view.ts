import type { CredentialStatus, M2mCredentialEntity } from './m2m-credential.entity';

/** What the API shows of a stored credential: certificate metadata and lifecycle, never key material. */
export interface CredentialView {
  id: string;
  credentialId: string;
  abn: string;
  legalName: string;
  serialNumber: string;
  sha1Fingerprint: string;
  notBefore: string;
  notAfter: string;
  status: CredentialStatus;
  keyProvider: string;
  activatedAt: string;
  supersededAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export function toCredentialView(row: M2mCredentialEntity): CredentialView {
  return {
    id: row.id,
    credentialId: row.credentialId,
    abn: row.abn,
    legalName: row.legalName,
    serialNumber: row.serialNumber,
    sha1Fingerprint: row.sha1Fingerprint,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    status: row.status,
    keyProvider: row.keyProvider,
    activatedAt: row.activatedAt.toISOString(),
    supersededAt: row.supersededAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
