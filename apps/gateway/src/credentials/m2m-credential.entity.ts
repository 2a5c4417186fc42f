import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Envelope } from '../keys/key-provider';

export type CredentialStatus = 'active' | 'superseded' | 'revoked';

@Entity({ name: 'm2m_credentials' })
export class M2mCredentialEntity {
  /** Chosen before insert: it is bound into the key envelope's encryption context. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'vendor_id' })
  vendorId!: string;

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

  @Column('timestamptz', { name: 'activated_at' })
  activatedAt!: Date;

  @Column('timestamptz', { name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
