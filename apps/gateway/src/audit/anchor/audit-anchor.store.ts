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
 * Append-only; every read checks the signature of what it returns. Adapters: a local append-only file per
 * chain (FileAuditAnchorStore, the embedded default) and an S3 bucket with Object Lock (S3AuditAnchorStore, AWS).
 */
export interface AuditAnchorStore {
  append(checkpoints: readonly SignedCheckpoint[]): Promise<void>;
  latest(chainId: string): Promise<AnchorReading>;
}

export const AUDIT_ANCHOR_STORE = Symbol('AUDIT_ANCHOR_STORE');

/** The chain ids the gateway makes (audit-chain.ts); adapters never turn anything else into a file name or object key. */
const CHAIN_ID = /^(platform|(org|vendor):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function assertChainId(chainId: string): string {
  if (!CHAIN_ID.test(chainId)) throw new Error(`not an audit chain id: ${JSON.stringify(chainId).slice(0, 80)}`);
  return chainId;
}

// Stryker disable BlockStatement: an empty catch answers undefined too.
/** An anchor entry as stored, if it has the shape of a signed checkpoint (its signature is checked separately). */
export function parseCheckpoint(text: string): SignedCheckpoint | undefined {
  try {
    // Any JSON value: `?.` answers undefined for null, and a number, string or array has no numeric `seq`.
    const value = JSON.parse(text) as Partial<SignedCheckpoint> | null;
    // Stryker disable next-line OptionalChaining: null.seq throws, which the catch below also turns into undefined.
    return typeof value?.seq === 'number' && typeof value.at === 'string' ? (value as SignedCheckpoint) : undefined;
  } catch {
    return undefined;
  }
}
// Stryker restore BlockStatement
