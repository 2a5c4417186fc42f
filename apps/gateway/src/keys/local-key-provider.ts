import { createHash, randomBytes } from 'node:crypto';
import { open, openEnvelope, seal, sealEnvelope } from './aes-gcm-envelope';
import { EncryptionContext, Envelope, KeyProvider } from './key-provider';
import { KeyProviderError } from './key-provider.error';

const WRAP_AAD = Buffer.from('usi-gateway/local/data-key/v1', 'utf8');

/**
 * Development key provider: a fresh AES-256 data key per envelope, wrapped (AES-256-GCM) by a local master key.
 * Same envelope shape as the KMS provider, so rows can move to KMS by re-encryption only.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly id = 'local';
  private readonly keyId: string;

  constructor(private readonly masterKey: Buffer) {
    // A public, non-reversible label for the master key, so a decrypt with the wrong key fails with a clear cause.
    this.keyId = `local:${createHash('sha256').update('usi-gateway/local/key-id').update(masterKey).digest('hex').slice(0, 16)}`;
  }

  async encrypt(plaintext: Buffer, context: EncryptionContext): Promise<Envelope> {
    const dataKey = randomBytes(32);
    try {
      const wrapped = seal(this.masterKey, dataKey, WRAP_AAD);
      const wrappedDataKey = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ciphertext]).toString('base64');
      return sealEnvelope(dataKey, plaintext, context, { provider: this.id, keyId: this.keyId, wrappedDataKey });
    } finally {
      dataKey.fill(0);
    }
  }

  async decrypt(envelope: Envelope, context: EncryptionContext): Promise<Buffer> {
    if (envelope.provider !== this.id || envelope.keyId !== this.keyId) {
      throw new KeyProviderError(
        'key_provider.wrong_key',
        `Envelope was sealed by ${envelope.provider}/${envelope.keyId}; this provider holds ${this.id}/${this.keyId}`,
      );
    }
    const wrapped = Buffer.from(envelope.wrappedDataKey, 'base64');
    const dataKey = open(
      this.masterKey,
      { iv: wrapped.subarray(0, 12), tag: wrapped.subarray(12, 28), ciphertext: wrapped.subarray(28) },
      WRAP_AAD,
    );
    try {
      return openEnvelope(dataKey, envelope, context);
    } finally {
      dataKey.fill(0);
    }
  }
}
