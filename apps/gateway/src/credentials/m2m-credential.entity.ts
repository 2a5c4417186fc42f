import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Envelope } from '../keys/key-provider';

/**
 * `pending`: stored, not yet proven with the ATO (or the proof failed: see `lastCheck`); never used for calls.
 * `active`: the one credential serving its owner. `superseded`: replaced by a newer one; may be made active again
 * while it is valid. `revoked`: never used again.
 */
export type CredentialStatus = 'pending' | 'active' | 'superseded' | 'revoked';

/** The outcome of the latest token request made with a credential to prove it (upload, retry, rollback). */
export interface CredentialCheck {
  at: string;
  ok: boolean;
  /** The problem code the upstream error mapper gave the failure (e.g. `sts.fault`, `upstream.unavailable`). */
  code?: string;
  /** The kind of failure, in a word: certificate_not_accepted, clock_skew, expired, unavailable, refused… */
  reason?: string;
  /** The reason in plain words, with what to do about it. */
  message?: string;
  /** What the token service said, as it said it. */
  upstream?: { code: string; title: string; message: string };
}

/** Something an upload noticed that does not stop it (e.g. a renewal under another name). */
export interface CredentialWarning {
  code: string;
  message: string;
}

@Entity({ name: 'm2m_credentials' })
export class M2mCredentialEntity {
  /** Chosen before insert: it is bound into the key envelope's encryption context. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

  /** Null for the vendor's own credential; else the organisation whose own credential it is (direct mode). */
  @Column('uuid', { name: 'organisation_id', nullable: true })
  organisationId!: string | null;

  /** The keystore alias, e.g. `ABRD:11000002568_INGLETON153`. */
  @Column('text', { name: 'credential_id' })
  credentialId!: string;

  @Column('char', { length: 11 })
  abn!: string;

  @Column('text', { name: 'legal_name' })
  legalName!: string;

  @Column('text', { name: 'serial_number' })
  serialNumber!: string;

  @Column('text', { name: 'sha1_fingerprint' })
  sha1Fingerprint!: string;

  @Column('timestamptz', { name: 'not_before' })
  notBefore!: Date;

  @Column('timestamptz', { name: 'not_after' })
  notAfter!: Date;

  /** PEM certificates, leaf first. */
  @Column('text', { name: 'certificate_chain' })
  certificateChain!: string;

  @Column('jsonb', { name: 'encrypted_private_key' })
  encryptedPrivateKey!: Envelope;

  @Column('text', { name: 'key_provider' })
  keyProvider!: string;

  @Column('text')
  status!: CredentialStatus;

  /** Null until the credential first becomes active. */
  @Column('timestamptz', { name: 'activated_at', nullable: true })
  activatedAt!: Date | null;

  @Column('timestamptz', { name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('jsonb', { name: 'last_check', nullable: true })
  lastCheck!: CredentialCheck | null;

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  warnings!: CredentialWarning[];

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
