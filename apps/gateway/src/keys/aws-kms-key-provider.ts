import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { decryptFailed, openEnvelope, sealEnvelope } from './aes-gcm-envelope';
import { EncryptionContext, Envelope, KeyProvider } from './key-provider';
import { KeyProviderError } from './key-provider.error';

export interface AwsKmsKeyProviderOptions {
  keyId: string;
  region?: string;
  /** Per-request ceiling so a stalled KMS call cannot hang a credential load; default 5 s. */
  requestTimeoutMs?: number;
  client?: KMSClient;
}

/**
 * Envelope encryption with an AWS KMS key: KMS generates and unwraps the data key (the encryption context is bound
 * there too, so CloudTrail shows which vendor/credential each Decrypt was for); the payload is sealed locally.
 */
export class AwsKmsKeyProvider implements KeyProvider {
  readonly id = 'aws-kms';
  private readonly client: KMSClient;
  private readonly keyId: string;

  constructor(options: AwsKmsKeyProviderOptions) {
    this.keyId = options.keyId;
    const timeout = options.requestTimeoutMs ?? 5000;
    this.client =
      options.client ??
      new KMSClient({
        region: options.region,
        requestHandler: { requestTimeout: timeout, connectionTimeout: timeout },
      });
  }

  async encrypt(plaintext: Buffer, context: EncryptionContext): Promise<Envelope> {
    const out = await this.kms(() =>
      this.client.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: context })),
    );
    if (!out.Plaintext || !out.CiphertextBlob) {
      throw new KeyProviderError('key_provider.kms_bad_response', 'KMS GenerateDataKey returned no data key');
    }
    const dataKey = out.Plaintext;
    try {
      return sealEnvelope(Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength), plaintext, context, {
        provider: this.id,
        keyId: out.KeyId ?? this.keyId,
        wrappedDataKey: Buffer.from(out.CiphertextBlob).toString('base64'),
      });
    } finally {
      dataKey.fill(0);
    }
  }

  async decrypt(envelope: Envelope, context: EncryptionContext): Promise<Buffer> {
    if (envelope.provider !== this.id) {
      throw new KeyProviderError('key_provider.wrong_key', `Envelope was sealed by ${envelope.provider}, not ${this.id}`);
    }
    const out = await this.kms(
      () =>
        this.client.send(
          new DecryptCommand({
            CiphertextBlob: Buffer.from(envelope.wrappedDataKey, 'base64'),
            KeyId: envelope.keyId,
            EncryptionContext: context,
          }),
        ),
      // KMS rejects a wrong context as InvalidCiphertextException: the same outcome as a tampered envelope.
      true,
    );
    if (!out.Plaintext) {
      throw new KeyProviderError('key_provider.kms_bad_response', 'KMS Decrypt returned no data key');
    }
    const dataKey = out.Plaintext;
    try {
      return openEnvelope(Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength), envelope, context);
    } finally {
      dataKey.fill(0);
    }
  }

  private async kms<T>(call: () => Promise<T>, decrypting = false): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'Error';
      if (decrypting && (name === 'InvalidCiphertextException' || name === 'IncorrectKeyException')) {
        throw decryptFailed();
      }
      throw new KeyProviderError('key_provider.kms_unavailable', `KMS call failed: ${name}`, { kmsError: name });
    }
  }
}
