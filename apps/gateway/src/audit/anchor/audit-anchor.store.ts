import type { ChainCheckpoint } from '../chain/chain-verifier';

/** A checkpoint with its signature (HMAC-SHA256 under the key its `keyId` names, see CheckpointSigner). */
export interface SignedCheckpoint extends ChainCheckpoint {
  sig: string;
}

/** The latest valid checkpoint of a chain, and what the store found wrong on the way (tampered or disordered entries). */
export interface AnchorReading {
  checkpoint?: SignedCheckpoint;
  problems: string[];
}

/**
 * Where checkpoints are written: outside the database, so that its owner cannot rewrite them with the chain.
 * Append-only; every read checks each entry's signature. Adapters: a local append-only file per chain
 * (FileAuditAnchorStore, the embedded default).
 */
export interface AuditAnchorStore {
  append(checkpoints: readonly SignedCheckpoint[]): Promise<void>;
  latest(chainId: string): Promise<AnchorReading>;
}

export const AUDIT_ANCHOR_STORE = Symbol('AUDIT_ANCHOR_STORE');
