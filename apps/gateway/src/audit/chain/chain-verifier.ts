import type { StoredAuditEvent } from '../audit.types';
import { chainHash, GENESIS_HASH } from './audit-chain';

export type BrokenLinkReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';

export interface ChainVerification {
  chainId: string;
  ok: boolean;
  checked: number;
  brokenAt?: { id: string | null; chainSeq: number; reason: BrokenLinkReason };
}

/**
 * Walks one chain page by page. When retention has dropped the oldest partitions the first surviving record is
 * taken as the anchor (its prev_hash cannot be checked); the daily logged heads cover that history.
 */
export async function verifyChain(
  chainId: string,
  nextPage: (afterSeq: number) => Promise<StoredAuditEvent[]>,
  head: { seq: number; hash: string } | undefined,
): Promise<ChainVerification> {
  let prevHash: string | undefined;
  let expectedSeq: number | undefined;
  let checked = 0;
  let afterSeq = 0;
  for (let page = await nextPage(afterSeq); page.length; page = await nextPage(afterSeq)) {
    for (const event of page) {
      const { prevHash: storedPrev, hash, ...record } = event;
      const broken = (reason: BrokenLinkReason): ChainVerification => ({
        chainId,
        ok: false,
        checked,
        brokenAt: { id: event.id, chainSeq: event.chainSeq, reason },
      });
      if (expectedSeq === undefined) {
        if (event.chainSeq === 1 && storedPrev !== GENESIS_HASH) return broken('prev_hash_mismatch');
      } else {
        if (event.chainSeq !== expectedSeq) return broken('sequence_gap');
        if (storedPrev !== prevHash) return broken('prev_hash_mismatch');
      }
      if (chainHash(storedPrev, record) !== hash) return broken('hash_mismatch');
      prevHash = hash;
      expectedSeq = event.chainSeq + 1;
      afterSeq = event.chainSeq;
      checked++;
    }
  }
  const lastSeq = expectedSeq === undefined ? 0 : expectedSeq - 1;
  if (head && (head.seq !== lastSeq || (lastSeq > 0 && head.hash !== prevHash))) {
    return { chainId, ok: false, checked, brokenAt: { id: null, chainSeq: head.seq, reason: 'head_mismatch' } };
  }
  return { chainId, ok: true, checked };
}
