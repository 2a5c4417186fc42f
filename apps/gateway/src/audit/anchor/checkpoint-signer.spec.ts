import { randomBytes } from 'node:crypto';
import { ChainKeyring } from '../chain/chain-keyring';
import { SignedCheckpoint } from './audit-anchor.store';
import { CheckpointSigner } from './checkpoint-signer';

const CHAIN = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const UNSIGNED = { chainId: CHAIN, seq: 5, hash: 'c'.repeat(64), at: '2026-12-04T00:05:00.000Z', keyedFrom: 1 };

describe('CheckpointSigner', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };
  const signer = new CheckpointSigner(new ChainKeyring(k2, [k1]));

  it('signs with the current key and verifies what it signed', () => {
    const signed = signer.sign(UNSIGNED);
    expect(signed).toMatchObject({ ...UNSIGNED, keyId: 'k2', sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signer.verify(signed)).toBe(true);
  });

  it('still verifies a checkpoint signed before the key rotated', () => {
    const old = new CheckpointSigner(new ChainKeyring(k1)).sign(UNSIGNED);
    expect(old.keyId).toBe('k1');
    expect(signer.verify(old)).toBe(true);
  });

  it.each<[string, Partial<SignedCheckpoint>]>([
    ['chain', { chainId: 'platform' }],
    ['sequence', { seq: 6 }],
    ['hash', { hash: 'd'.repeat(64) }],
    ['time', { at: '2026-12-04T00:10:00.000Z' }],
    ['keyed-from sequence', { keyedFrom: null }],
    ['key id (to another key it has)', { keyId: 'k1' }],
  ])('refuses a checkpoint whose %s was changed after signing', (_, change) => {
    expect(signer.verify({ ...signer.sign(UNSIGNED), ...change })).toBe(false);
  });

  it('refuses, without throwing, a checkpoint under a key it does not have or with a malformed signature', () => {
    const signed = signer.sign(UNSIGNED);
    expect(signer.verify({ ...signed, keyId: 'k9' })).toBe(false);
    expect(signer.verify({ ...signed, keyId: 7 as unknown as string })).toBe(false);
    expect(signer.verify({ ...signed, sig: 12 as unknown as string })).toBe(false);
    expect(signer.verify({ ...signed, sig: undefined as unknown as string })).toBe(false);
    expect(signer.verify({ ...signed, sig: signed.sig.slice(0, 62) })).toBe(false);
    expect(signer.verify({ ...signed, sig: '' })).toBe(false);
  });

});
