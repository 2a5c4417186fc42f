import type { CredentialCheck, CredentialStatus, CredentialWarning, M2mCredentialEntity } from './m2m-credential.entity';

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
  /** Null for the vendor's own credential; the organisation whose own credential it is (direct mode). */
  organisationId: string | null;
  keyProvider: string;
  /** Null while it has never been active. */
  activatedAt: string | null;
  supersededAt: string | null;
  revokedAt: string | null;
  /** The latest token check with the ATO: why a credential is still pending, or when it was proven. */
  lastCheck: CredentialCheck | null;
  warnings: CredentialWarning[];
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
    organisationId: row.organisationId ?? null,
    keyProvider: row.keyProvider,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    supersededAt: row.supersededAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastCheck: row.lastCheck ?? null,
    warnings: row.warnings ?? [],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The identifying facts of another credential named in an answer (a fallback, the one being replaced). */
export interface CredentialRef {
  id: string;
  credentialId: string;
  sha1Fingerprint: string;
  status: CredentialStatus;
  notAfter: string;
}

export const credentialRef = (row: M2mCredentialEntity): CredentialRef => ({
  id: row.id,
  credentialId: row.credentialId,
  sha1Fingerprint: row.sha1Fingerprint,
  status: row.status,
  notAfter: row.notAfter.toISOString(),
});
