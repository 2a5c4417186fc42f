import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../chain/canonical-json';
import type { ChainKeyring } from '../chain/chain-keyring';
import type { ChainCheckpoint } from '../chain/chain-verifier';
import type { SignedCheckpoint } from './audit-anchor.store';

/** Signs checkpoints with a key derived from the chain key (never stored in the database in clear), and checks them. */
export class CheckpointSigner {
  constructor(private readonly keys: ChainKeyring) {}

  sign(checkpoint: Omit<ChainCheckpoint, 'keyId'>): SignedCheckpoint {
    const unsigned: ChainCheckpoint = { ...checkpoint, keyId: this.keys.current.id };
    return { ...unsigned, sig: this.mac(this.keys.checkpointKey(unsigned.keyId)!, unsigned) };
  }

  /** False for a checkpoint altered after signing, or signed by a key this gateway does not have. */
  verify(signed: SignedCheckpoint): boolean {
    const { sig, ...checkpoint } = signed;
    // Stryker disable next-line ConditionalExpression: a non-string id finds no key in the map either; the guard documents the input.
    const key = typeof checkpoint.keyId === 'string' ? this.keys.checkpointKey(checkpoint.keyId) : undefined;
    if (!key || typeof sig !== 'string') return false;
    const expected = Buffer.from(this.mac(key, checkpoint), 'hex');
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(key: Buffer, checkpoint: ChainCheckpoint): string {
    const { chainId, seq, hash, at, keyId, keyedFrom } = checkpoint;
    return createHmac('sha256', key).update(canonicalJson({ chainId, seq, hash, at, keyId, keyedFrom })).digest('hex');
  }
}
