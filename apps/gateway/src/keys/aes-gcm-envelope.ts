import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionContext, Envelope } from './key-provider';
import { KeyProviderError } from './key-provider.error';

const ALG = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Sorted-key JSON so the same context always yields the same AAD bytes, whatever order callers build it in. */
export function contextAad(context: EncryptionContext): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((k) => [k, context[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

export function open(key: Buffer, sealed: Sealed, aad: Buffer): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw decryptFailed();
  }
  try {
    const decipher = createDecipheriv(ALG, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw decryptFailed();
  }
}

/** Encrypts `plaintext` under a data key; the caller supplies how that data key is wrapped. */
export function sealEnvelope(
  dataKey: Buffer,
  plaintext: Buffer,
  context: EncryptionContext,
  wrapping: Pick<Envelope, 'provider' | 'keyId' | 'wrappedDataKey'>,
): Envelope {
  const { iv, tag, ciphertext } = seal(dataKey, plaintext, contextAad(context));
  return {
    ...wrapping,
    iv: iv.toString('base64'),
    tag: tag.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    alg: 'AES-256-GCM',
  };
}

export function openEnvelope(dataKey: Buffer, envelope: Envelope, context: EncryptionContext): Buffer {
  if (envelope.alg !== 'AES-256-GCM') {
    throw new KeyProviderError('key_provider.unsupported_envelope', `Unsupported envelope algorithm ${String(envelope.alg)}`);
  }
  return open(
    dataKey,
    {
      iv: Buffer.from(envelope.iv, 'base64'),
      tag: Buffer.from(envelope.tag, 'base64'),
      ciphertext: Buffer.from(envelope.ciphertext, 'base64'),
    },
    contextAad(context),
  );
}

export function decryptFailed(): KeyProviderError {
  return new KeyProviderError('key_provider.decrypt_failed', 'Envelope could not be decrypted (wrong key, context or tampered data)');
}
