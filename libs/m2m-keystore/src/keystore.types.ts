import type { MachineCredential } from '@usi/contract';

export type { MachineCredential };

/** Public facts about one credential of a keystore; reading them needs no password. */
export interface CredentialSummary {
  id: string;
  abn: string;
  legalName: string;
  /** Leaf certificate serial, decimal. */
  serialNumber: string;
  /** base64(SHA-1(leaf DER)). */
  sha1Fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  expired: boolean;
  /** DER certificates, leaf first. */
  chain: Buffer[];
}

/** `sha1Fingerprint`, optional on `MachineCredential`, is always known here. */
export interface LoadedCredential extends Omit<MachineCredential, 'sha1Fingerprint'>, CredentialSummary {}

export interface LoadCredentialOptions {
  alias?: string;
  abn?: string;
  password: string;
  now?: Date;
}

export interface ListCredentialsOptions {
  now?: Date;
}
