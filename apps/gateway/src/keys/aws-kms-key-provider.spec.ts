import {
  DecryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { AwsKmsKeyProvider } from './aws-kms-key-provider';

const KEY_ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/test';
const context = { vendorId: 'v-1', credentialId: 'c-1' };

/** A stand-in for KMS: remembers each data key with the context it was issued under, like the real service. */
function fakeKms() {
  const kms = mockClient(KMSClient);
  const issued = new Map<string, { key: Buffer; context: Record<string, string> }>();
  const handedOut: Uint8Array[] = [];
  kms.on(GenerateDataKeyCommand).callsFake((input) => {
    const key = randomBytes(32);
    const blob = randomBytes(24);
    issued.set(blob.toString('hex'), { key, context: { ...input.EncryptionContext } });
    const plaintext = new Uint8Array(key);
    handedOut.push(plaintext);
    return { KeyId: KEY_ARN, Plaintext: plaintext, CiphertextBlob: new Uint8Array(blob) };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    const entry = issued.get(Buffer.from(input.CiphertextBlob as Uint8Array).toString('hex'));
    if (!entry || JSON.stringify(entry.context) !== JSON.stringify(input.EncryptionContext ?? {})) {
      throw new InvalidCiphertextException({ message: 'bad', $metadata: {} });
    }
    const plaintext = new Uint8Array(entry.key);
    handedOut.push(plaintext);
    return { KeyId: KEY_ARN, Plaintext: plaintext };
  });
  return { kms, handedOut };
}

describe('AwsKmsKeyProvider', () => {
  const plaintext = randomBytes(900);

  it('round-trips, passing the encryption context to both KMS calls', async () => {
    const { kms } = fakeKms();
    const provider = new AwsKmsKeyProvider({ keyId: KEY_ARN, client: new KMSClient({ region: 'ap-southeast-2' }) });
    const envelope = await provider.encrypt(plaintext, context);
    expect(envelope).toMatchObject({ provider: 'aws-kms', keyId: KEY_ARN, alg: 'AES-256-GCM' });
    await expect(provider.decrypt(envelope, context)).resolves.toEqual(plaintext);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0].args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    expect(kms.commandCalls(DecryptCommand)[0].args[0].input.EncryptionContext).toEqual(context);
    kms.restore();
  });

  it('fails to decrypt under another context', async () => {
    const { kms } = fakeKms();
    const provider = new AwsKmsKeyProvider({ keyId: KEY_ARN, client: new KMSClient({ region: 'ap-southeast-2' }) });
    const envelope = await provider.encrypt(plaintext, context);
    await expect(provider.decrypt(envelope, { ...context, vendorId: 'v-2' })).rejects.toMatchObject({
      code: 'key_provider.decrypt_failed',
    });
    kms.restore();
  });

  it('rejects a tampered ciphertext even when KMS unwraps the key', async () => {
    const { kms } = fakeKms();
    const provider = new AwsKmsKeyProvider({ keyId: KEY_ARN, client: new KMSClient({ region: 'ap-southeast-2' }) });
    const envelope = await provider.encrypt(plaintext, context);
    const bytes = Buffer.from(envelope.ciphertext, 'base64');
    bytes[5] ^= 0xff;
    await expect(provider.decrypt({ ...envelope, ciphertext: bytes.toString('base64') }, context)).rejects.toMatchObject({
      code: 'key_provider.decrypt_failed',
    });
    kms.restore();
  });

  it('zeroes every plaintext data key KMS hands out once used', async () => {
    const { kms, handedOut } = fakeKms();
    const provider = new AwsKmsKeyProvider({ keyId: KEY_ARN, client: new KMSClient({ region: 'ap-southeast-2' }) });
    const envelope = await provider.encrypt(plaintext, context);
    await provider.decrypt(envelope, context);
    expect(handedOut).toHaveLength(2);
    for (const key of handedOut) {
      expect(key.every((b) => b === 0)).toBe(true);
    }
    kms.restore();
  });

  it('reports KMS outages by error name only', async () => {
    const kms = mockClient(KMSClient);
    kms.on(GenerateDataKeyCommand).rejects(
      new KMSServiceException({ name: 'KMSInternalException', $fault: 'server', message: 'boom', $metadata: {} }),
    );
    const provider = new AwsKmsKeyProvider({ keyId: KEY_ARN, client: new KMSClient({ region: 'ap-southeast-2' }) });
    await expect(provider.encrypt(plaintext, context)).rejects.toMatchObject({
      code: 'key_provider.kms_unavailable',
      details: { kmsError: 'KMSInternalException' },
    });
    kms.restore();
  });
});
