/**
 * An encrypted blob as stored in `m2m_credentials.encrypted_private_key`: JSON-serialisable, self-describing enough to
 * pick the provider and key that can open it again. All binary fields are base64.
 */
export interface Envelope {
  provider: string;
  keyId: string;
  wrappedDataKey: string;
  iv: string;
  tag: string;
  ciphertext: string;
  alg: 'AES-256-GCM';
}

/**
 * Name-value pairs bound to an envelope as additional authenticated data (e.g. vendor id and credential row id), so a
 * ciphertext moved to another row or tenant fails to decrypt.
 */
export type EncryptionContext = Record<string, string>;

export interface KeyProvider {
  readonly id: string;
  encrypt(plaintext: Buffer, context: EncryptionContext): Promise<Envelope>;
  decrypt(envelope: Envelope, context: EncryptionContext): Promise<Buffer>;
}

/** Nest injection token for the active KeyProvider. */
export const KEY_PROVIDER = Symbol('KEY_PROVIDER');
