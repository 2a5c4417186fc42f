import { randomBytes } from 'node:crypto';
import { Envelope } from './key-provider';
import { LocalKeyProvider } from './local-key-provider';

const context = { vendorId: 'v-1', credentialId: 'c-1' };

function flipFirstByte(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}

describe('LocalKeyProvider', () => {
  const provider = new LocalKeyProvider(randomBytes(32));
  const plaintext = randomBytes(1200);

  it('round-trips and never carries the plaintext in the envelope', async () => {
    const envelope = await provider.encrypt(plaintext, context);
    expect(envelope).toMatchObject({ provider: 'local', alg: 'AES-256-GCM' });
    expect(JSON.stringify(envelope)).not.toContain(plaintext.toString('base64').slice(0, 40));
    await expect(provider.decrypt(envelope, context)).resolves.toEqual(plaintext);
  });

  it('accepts the context in any key order', async () => {
    const envelope = await provider.encrypt(plaintext, context);
    await expect(provider.decrypt(envelope, { credentialId: 'c-1', vendorId: 'v-1' })).resolves.toEqual(plaintext);
  });

  it('uses a fresh data key and IV each time', async () => {
    const [a, b] = await Promise.all([provider.encrypt(plaintext, context), provider.encrypt(plaintext, context)]);
    expect(a.wrappedDataKey).not.toBe(b.wrappedDataKey);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it.each<[string, (e: Envelope) => Envelope]>([
    ['ciphertext', (e) => ({ ...e, ciphertext: flipFirstByte(e.ciphertext) })],
    ['tag', (e) => ({ ...e, tag: flipFirstByte(e.tag) })],
    ['iv', (e) => ({ ...e, iv: flipFirstByte(e.iv) })],
    ['wrapped data key', (e) => ({ ...e, wrappedDataKey: flipFirstByte(e.wrappedDataKey) })],
  ])('rejects a tampered %s', async (_name, tamper) => {
    const envelope = await provider.encrypt(plaintext, context);
    await expect(provider.decrypt(tamper(envelope), context)).rejects.toMatchObject({ code: 'key_provider.decrypt_failed' });
  });

  it.each([
    ['another credential', { vendorId: 'v-1', credentialId: 'c-2' }],
    ['another vendor', { vendorId: 'v-2', credentialId: 'c-1' }],
    ['a missing entry', { vendorId: 'v-1' }],
  ])('rejects a context for %s (AAD)', async (_name, other) => {
    const envelope = await provider.encrypt(plaintext, context);
    await expect(provider.decrypt(envelope, other)).rejects.toMatchObject({ code: 'key_provider.decrypt_failed' });
  });

  it('rejects a different master key', async () => {
    const envelope = await provider.encrypt(plaintext, context);
    const other = new LocalKeyProvider(randomBytes(32));
    await expect(other.decrypt(envelope, context)).rejects.toMatchObject({ code: 'key_provider.wrong_key' });
    // Even with the key id forged, the wrapped data key does not open under another master key.
    const forged = { ...(await other.encrypt(Buffer.from('x'), context)), wrappedDataKey: envelope.wrappedDataKey };
    await expect(other.decrypt({ ...envelope, keyId: forged.keyId }, context)).rejects.toMatchObject({
      code: 'key_provider.decrypt_failed',
    });
  });

  it('does not put key material into error messages', async () => {
    const masterKey = randomBytes(32);
    const p = new LocalKeyProvider(masterKey);
    const envelope = await p.encrypt(plaintext, context);
    const err = await p.decrypt({ ...envelope, tag: flipFirstByte(envelope.tag) }, context).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain(masterKey.toString('base64'));
    expect(JSON.stringify(err)).not.toContain(masterKey.toString('hex'));
  });
});
