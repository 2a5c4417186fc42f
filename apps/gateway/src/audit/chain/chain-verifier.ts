import type { StoredAuditEvent } from '../audit.types';
import { chainHash, chainHmac, GENESIS_HASH } from './audit-chain';

export type BrokenLinkReason =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'sequence_gap'
  | 'head_mismatch'
  /** An unkeyed (version 1) row where the chain is keyed: after a keyed row, or at or after the checkpoint's `keyedFrom`. */
  | 'unkeyed_event'
  /** A row names a chain key this gateway does not have. */
  | 'key_unavailable'
  /** The row at the checkpoint's sequence does not have the checkpoint's hash. */
  | 'checkpoint_mismatch'
  /** The chain ends before the checkpoint's sequence: rows the checkpoint covered were deleted. */
  | 'truncated';

/** A signed statement, kept outside the database, of a chain's head at a point in time (see anchor/). */
export interface ChainCheckpoint {
  chainId: string;
  seq: number;
  hash: string;
  /** When the checkpoint was taken (ISO 8601). */
  at: string;
  /** The chain key whose derived key signed it. */
  keyId: string;
  /** The chain's first keyed sequence when it was taken (null: none yet). */
  keyedFrom: number | null;
}

export interface ChainVerification {
  chainId: string;
  ok: boolean;
  checked: number;
  brokenAt?: { id: string | null; chainSeq: number; reason: BrokenLinkReason };
  /** The chain keys the checked rows' HMACs were verified with. */
  keyIds: string[];
  /** Rows checked with the unkeyed version-1 hash (written before the chain was keyed). */
  unkeyedEvents: number;
  /** The latest checkpoint the chain was checked against, or null when there is none yet. */
  checkpoint: { seq: number; at: string; keyId: string; hash: string } | null;
  /** Entries of the anchor store that failed their signature or order: the anchor itself was tampered with. */
  anchorProblems: string[];
}

export interface ChainVerifyOptions {
  /** The chain key of a key id; without it, keyed rows cannot be checked (`key_unavailable`). */
  keyFor?: (keyId: string) => Buffer | undefined;
  /** The chain's latest checkpoint (already signature-checked by the anchor store). */
  checkpoint?: ChainCheckpoint;
  anchorProblems?: string[];
}

/**
 * Walks one chain page by page, checking each row's hash with its key (unkeyed rows only before the first keyed one),
 * the links, the sequence, the stored head and the latest checkpoint. When retention has dropped the oldest partitions
 * the first surviving record is taken as the anchor (its prev_hash cannot be checked); the checkpoints cover that.
 */
export async function verifyChain(
  chainId: string,
  nextPage: (afterSeq: number) => Promise<StoredAuditEvent[]>,
  head: { seq: number; hash: string } | undefined,
  options: ChainVerifyOptions = {},
): Promise<ChainVerification> {
  const { keyFor = () => undefined, checkpoint } = options;
  const anchorProblems = options.anchorProblems ?? [];
  const keyIds = new Set<string>();
  let unkeyedEvents = 0;
  let keyedSeen = checkpoint?.keyedFrom ?? Infinity;
  let prevHash: string | undefined;
  let expectedSeq: number | undefined;
  let checked = 0;
  let afterSeq = 0;
  const result = (brokenAt?: ChainVerification['brokenAt']): ChainVerification => ({
    chainId,
    ok: !brokenAt && !anchorProblems.length,
    checked,
    ...(brokenAt && { brokenAt }),
    keyIds: [...keyIds],
    unkeyedEvents,
    checkpoint: checkpoint ? { seq: checkpoint.seq, at: checkpoint.at, keyId: checkpoint.keyId, hash: checkpoint.hash } : null,
    anchorProblems,
  });
  for (let page = await nextPage(afterSeq); page.length; page = await nextPage(afterSeq)) {
    for (const event of page) {
      const { prevHash: storedPrev, hash, keyId, ...record } = event;
      const broken = (reason: BrokenLinkReason) => result({ id: event.id, chainSeq: event.chainSeq, reason });
      if (expectedSeq === undefined) {
        if (event.chainSeq === 1 && storedPrev !== GENESIS_HASH) return broken('prev_hash_mismatch');
      } else {
        if (event.chainSeq !== expectedSeq) return broken('sequence_gap');
        if (storedPrev !== prevHash) return broken('prev_hash_mismatch');
      }
      let expected: string;
      if (keyId === null || keyId === undefined) {
        if (event.chainSeq >= keyedSeen) return broken('unkeyed_event');
        expected = chainHash(storedPrev, record);
        unkeyedEvents++;
      } else {
        const key = keyFor(keyId);
        if (!key) return broken('key_unavailable');
        expected = chainHmac(key, storedPrev, record);
        keyIds.add(keyId);
        keyedSeen = Math.min(keyedSeen, event.chainSeq);
      }
      if (expected !== hash) return broken('hash_mismatch');
      if (checkpoint && event.chainSeq === checkpoint.seq && hash !== checkpoint.hash) return broken('checkpoint_mismatch');
      prevHash = hash;
      expectedSeq = event.chainSeq + 1;
      afterSeq = event.chainSeq;
      checked++;
    }
  }
  const lastSeq = expectedSeq === undefined ? 0 : expectedSeq - 1;
  if (checkpoint && lastSeq < checkpoint.seq) {
    return result({ id: null, chainSeq: lastSeq + 1, reason: 'truncated' });
  }
  if (head && (head.seq !== lastSeq || (lastSeq > 0 && head.hash !== prevHash))) {
    return result({ id: null, chainSeq: head.seq, reason: 'head_mismatch' });
  }
  return result();
}
