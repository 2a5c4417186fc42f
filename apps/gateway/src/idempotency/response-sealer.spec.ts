import { createHash, randomBytes } from 'node:crypto';
import { LocalKeyProvider } from '../keys/local-key-provider';
import { asVendorId } from '../database/vendor-id';
import { ResponseSealer } from './response-sealer';

describe('ResponseSealer', () => {
  const keys = new LocalKeyProvider(randomBytes(32));
  const sealer = new ResponseSealer(keys);
  const vendor = asVendorId('0b7e4c1e-8f5a-4d0e-9a57-3f6a2b1c9d00');
  const other = asVendorId('7d0c2a4e-1b3f-4e5a-8c6d-9e0f1a2b3c4d');
  const body = { result: 'MatchFound', usi: 'BNGH7C75FN', applicationId: 'APP1' };

  it('round-trips the body and keeps no plaintext in the envelope', async () => {
    const sealed = await sealer.seal(vendor, 'key-1', body);
    expect(JSON.stringify(sealed)).not.toMatch(/BNGH7C75FN|MatchFound|APP1/);
    await expect(sealer.open(vendor, 'key-1', sealed)).resolves.toEqual(body);
  });

  it('does not open under another idempotency key or another vendor', async () => {
    const sealed = await sealer.seal(vendor, 'key-1', body);
    await expect(sealer.open(vendor, 'key-2', sealed)).rejects.toThrow();
    await expect(sealer.open(other, 'key-1', sealed)).rejects.toThrow();
  });

  it('seals an empty body as null', async () => {
    await expect(sealer.open(vendor, 'k', await sealer.seal(vendor, 'k', undefined))).resolves.toBeNull();
  });

  it('binds the envelope to its purpose, the vendor and the hash of the key (rows sealed before a release still open after)', async () => {
    const sealed = await sealer.seal(vendor, 'key-1', body);
    const keyHash = createHash('sha256').update('key-1').digest('hex');
    const plain = await keys.decrypt(sealed, { purpose: 'idempotency-response', vendorId: vendor, keyHash });
    expect(JSON.parse(plain.toString('utf8'))).toEqual(body);
    await expect(keys.decrypt(sealed, { purpose: 'credential', vendorId: vendor, keyHash })).rejects.toThrow();
  });
});
