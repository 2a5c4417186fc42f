import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditRecord, StoredAuditEvent } from '../audit.types';
import { chainHash, chainHmac, GENESIS_HASH } from './audit-chain';
import { ChainCheckpoint, ChainVerifyOptions, verifyChain } from './chain-verifier';

const KEY = randomBytes(32);
const CHAIN = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';

function record(seq: number): AuditRecord {
  return {
    id: randomUUID(),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    chainId: CHAIN,
    chainSeq: seq,
    vendorId: null,
    organisationId: null,
    category: 'exchange',
    type: 'completed',
    requestId: `req-${seq}`,
    actor: null,
    operation: 'VerifyUSI',
    outcome: 'completed',
    httpStatus: 200,
    errorCode: null,
    usiHmac: null,
    usiMasked: null,
    relatedEventId: null,
    details: { n: seq },
  };
}

/** `n` events, the first `unkeyed` of them written before the chain was keyed. */
function chain(n: number, unkeyed = 0): StoredAuditEvent[] {
  const events: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = record(seq);
    const keyed = seq > unkeyed;
    const hash = keyed ? chainHmac(KEY, prev, r) : chainHash(prev, r);
    events.push({ ...r, prevHash: prev, hash, keyId: keyed ? 'k1' : null });
    prev = hash;
  }
  return events;
}

/** Re-hashes every event from `from` on with the unkeyed function, as someone without the key can. */
function recomputeUnkeyed(events: StoredAuditEvent[], from: number, stripKeys: boolean): void {
  for (let i = from; i < events.length; i++) {
    const { prevHash: _p, hash: _h, keyId: _k, ...r } = events[i];
    const prevHash = i === 0 ? GENESIS_HASH : events[i - 1].hash;
    events[i] = { ...events[i], prevHash, hash: chainHash(prevHash, r), keyId: stripKeys ? null : events[i].keyId };
  }
}

const headOf = (events: StoredAuditEvent[]) => ({ seq: events.at(-1)?.chainSeq ?? 0, hash: events.at(-1)?.hash ?? GENESIS_HASH });
const keyFor = (id: string) => (id === 'k1' ? KEY : undefined);

/** Pages of two, like the repository's pages. */
function verify(events: StoredAuditEvent[], head = headOf(events), options: ChainVerifyOptions = { keyFor }) {
  return verifyChain(CHAIN, async (after) => events.filter((e) => e.chainSeq > after).slice(0, 2), head, options);
}

const checkpointAt = (events: StoredAuditEvent[], seq: number, keyedFrom: number | null = 1): ChainCheckpoint => ({
  chainId: CHAIN,
  seq,
  hash: events[seq - 1].hash,
  at: '2026-01-01T00:05:00.000Z',
  keyId: 'k1',
  keyedFrom,
});

describe('verifyChain (keyed)', () => {
  it('accepts a keyed chain and says which key it used', async () => {
    await expect(verify(chain(5))).resolves.toEqual({
      chainId: CHAIN,
      ok: true,
      checked: 5,
      keyIds: ['k1'],
      unkeyedEvents: 0,
      checkpoint: null,
      anchorProblems: [],
    });
  });

  it('accepts an unkeyed prefix written before the chain was keyed, and counts it', async () => {
    await expect(verify(chain(5, 2))).resolves.toMatchObject({ ok: true, checked: 5, unkeyedEvents: 2, keyIds: ['k1'] });
  });

  it('finds an edited event whose later hashes were recomputed without the key', async () => {
    const events = chain(6);
    events[2] = { ...events[2], outcome: 'failed' };
    recomputeUnkeyed(events, 2, false);
    await expect(verify(events)).resolves.toMatchObject({ ok: false, checked: 2, brokenAt: { id: events[2].id, chainSeq: 3, reason: 'hash_mismatch' } });
  });

  it('refuses an unkeyed event after a keyed one', async () => {
    const events = chain(6);
    events[3] = { ...events[3], outcome: 'failed' };
    recomputeUnkeyed(events, 3, true);
    await expect(verify(events)).resolves.toMatchObject({ ok: false, checked: 3, brokenAt: { chainSeq: 4, reason: 'unkeyed_event' } });
  });

  it("refuses unkeyed events from the checkpoint's keyedFrom on, even when the whole chain was rewritten", async () => {
    const events = chain(4);
    const checkpoint = checkpointAt(events, 4);
    recomputeUnkeyed(events, 0, true);
    await expect(verify(events, headOf(events), { keyFor, checkpoint })).resolves.toMatchObject({
      ok: false,
      brokenAt: { chainSeq: 1, reason: 'unkeyed_event' },
    });
    await expect(verify(events)).resolves.toMatchObject({ ok: true, unkeyedEvents: 4 });
  });

  it('fails a keyed event under another key, or under a key it does not have', async () => {
    const events = chain(3);
    await expect(verify(events, headOf(events), { keyFor: () => randomBytes(32) })).resolves.toMatchObject({
      ok: false,
      brokenAt: { chainSeq: 1, reason: 'hash_mismatch' },
    });
    await expect(verify(events, headOf(events), {})).resolves.toMatchObject({ ok: false, brokenAt: { chainSeq: 1, reason: 'key_unavailable' } });
  });

  it('finds a deleted event, a re-linked event, a moved head and a first event not on the genesis hash', async () => {
    const events = chain(5);
    const deleted = events.filter((e) => e.chainSeq !== 3);
    await expect(verify(deleted)).resolves.toMatchObject({ ok: false, brokenAt: { chainSeq: 4, reason: 'sequence_gap' } });

    const relinked = chain(5);
    relinked[3] = { ...relinked[3], prevHash: relinked[1].hash };
    await expect(verify(relinked)).resolves.toMatchObject({ ok: false, brokenAt: { chainSeq: 4, reason: 'prev_hash_mismatch' } });

    await expect(verify(events, { seq: 4, hash: events[3].hash })).resolves.toMatchObject({ ok: false, brokenAt: { reason: 'head_mismatch', chainSeq: 4 } });
    await expect(verify(events, { seq: 5, hash: events[3].hash })).resolves.toMatchObject({ ok: false, brokenAt: { reason: 'head_mismatch' } });

    const rebased = chain(2);
    rebased[0] = { ...rebased[0], prevHash: 'f'.repeat(64) };
    await expect(verify(rebased)).resolves.toMatchObject({ ok: false, brokenAt: { chainSeq: 1, reason: 'prev_hash_mismatch' } });
  });

  it('checks the latest checkpoint: names it when it matches, reports truncation and a different hash at its sequence', async () => {
    const events = chain(6);
    const checkpoint = checkpointAt(events, 4);
    await expect(verify(events, headOf(events), { keyFor, checkpoint })).resolves.toMatchObject({
      ok: true,
      checkpoint: { seq: 4, at: checkpoint.at, keyId: 'k1', hash: checkpoint.hash },
    });

    const truncated = events.slice(0, 3);
    await expect(verify(truncated, headOf(truncated), { keyFor, checkpoint })).resolves.toMatchObject({
      ok: false,
      checked: 3,
      brokenAt: { id: null, chainSeq: 4, reason: 'truncated' },
    });

    await expect(verify(events, headOf(events), { keyFor, checkpoint: { ...checkpoint, hash: 'e'.repeat(64) } })).resolves.toMatchObject({
      ok: false,
      brokenAt: { chainSeq: 4, reason: 'checkpoint_mismatch' },
    });
  });

  it('is not ok when the anchor store reported tampered entries', async () => {
    await expect(verify(chain(2), undefined, { keyFor, anchorProblems: ['line 2: signature does not verify'] })).resolves.toMatchObject({
      ok: false,
      checked: 2,
      anchorProblems: ['line 2: signature does not verify'],
    });
  });
});

describe('verifyChain (edges of the walk)', () => {
  it('accepts an empty chain whose head is still at the start', async () => {
    await expect(verify([], { seq: 0, hash: GENESIS_HASH })).resolves.toMatchObject({ ok: true, checked: 0 });
  });

  it('reports every row deleted, with the head reset, as truncated when a checkpoint covered them', async () => {
    const events = chain(3);
    await expect(verify([], { seq: 0, hash: GENESIS_HASH }, { keyFor, checkpoint: checkpointAt(events, 3) })).resolves.toMatchObject({
      ok: false,
      brokenAt: { id: null, chainSeq: 1, reason: 'truncated' },
    });
  });

  it('accepts a chain that ends exactly at its latest checkpoint', async () => {
    const events = chain(4);
    await expect(verify(events, headOf(events), { keyFor, checkpoint: checkpointAt(events, 4) })).resolves.toMatchObject({ ok: true, checked: 4 });
  });

  it('takes the first surviving record as the anchor once retention has dropped the oldest ones', async () => {
    const events = chain(6).slice(2);
    await expect(verify(events)).resolves.toMatchObject({ ok: true, checked: 4 });
  });

  it('reports a head whose sequence was moved on while its hash still names the last row', async () => {
    const events = chain(5);
    await expect(verify(events, { seq: 6, hash: events[4].hash })).resolves.toMatchObject({
      ok: false,
      brokenAt: { id: null, chainSeq: 6, reason: 'head_mismatch' },
    });
  });

  it('checks a row without a key id (undefined as well as null) with the unkeyed hash', async () => {
    const events = chain(3, 3).map((e) => ({ ...e, keyId: undefined as unknown as null }));
    await expect(verify(events, headOf(events), {})).resolves.toMatchObject({ ok: true, unkeyedEvents: 3, keyIds: [] });
  });
});
