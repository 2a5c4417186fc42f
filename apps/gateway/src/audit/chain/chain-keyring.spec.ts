import { createHash, randomBytes } from 'node:crypto';
import { chainKeyId, ChainKeyring } from './chain-keyring';

const KEY = Buffer.alloc(32, 1);

describe('ChainKeyring', () => {
  const current = { id: 'k2', key: randomBytes(32) };
  const older = { id: 'k1', key: randomBytes(32) };
  const ring = new ChainKeyring(current, [older]);

  it('keys new rows with the current key and still knows every older key by id', () => {
    expect(ring.current).toBe(current);
    expect(ring.key('k2')).toBe(current.key);
    expect(ring.key('k1')).toBe(older.key);
    expect(ring.key('k0')).toBeUndefined();
    expect(new ChainKeyring(current).key('k1')).toBeUndefined();
  });

  it('signs checkpoints with a key derived from, and different to, the chain key; none for an unknown id', () => {
    const derived = ring.checkpointKey('k2');
    expect(derived).toBeInstanceOf(Buffer);
    expect(derived).toHaveLength(32);
    expect(derived!.equals(current.key)).toBe(false);
    expect(ring.checkpointKey('k1')!.equals(derived!)).toBe(false);
    expect(ring.checkpointKey('k0')).toBeUndefined();
  });

  // Checkpoints already in the anchor store must keep verifying after an upgrade: the derivation is pinned.
  it('derives the checkpoint key the same way on every instance (known answer)', () => {
    expect(new ChainKeyring({ id: 'k', key: KEY }).checkpointKey('k')!.toString('hex')).toBe(
      '68578ac5f43ddf841ab3841867d2315c113ff62723caac840d671f98a728c906',
    );
  });
});

describe('chainKeyId', () => {
  it('names a key by a stable id that is not a plain hash prefix of the key (known answer)', () => {
    expect(chainKeyId(KEY)).toBe('ak_6bb97de372770bcc');
    expect(chainKeyId(Buffer.from(KEY))).toBe(chainKeyId(KEY));
    expect(chainKeyId(KEY)).not.toContain(createHash('sha256').update(KEY).digest('hex').slice(0, 16));
    expect(chainKeyId(randomBytes(32))).toMatch(/^ak_[0-9a-f]{16}$/);
    expect(chainKeyId(randomBytes(32))).not.toBe(chainKeyId(KEY));
  });
});
