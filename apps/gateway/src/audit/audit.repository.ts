import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppendBatch, AppendCall, Appended, AUDIT_APPEND_SQL, AUDIT_HEADS_SQL, AuditAppendPool, HeadsCall } from './audit-append.pool';
import { SELECT_AUDIT_COLUMNS, toStoredEvent } from './audit-event.columns';
import { AuditEventInput, AuditRecord, StoredAuditEvent } from './audit.types';
import { chainHmac, chainIdFor, GENESIS_HASH as GENESIS } from './chain/audit-chain';
import { canonicalJson } from './chain/canonical-json';
import { ChainKeyring } from './chain/chain-keyring';
import { GroupCommit } from './chain/group-commit';

/** Attempts inside a transaction: the second always lands (the first took the head locks); more means a bug. */
const MAX_ATTEMPTS = 3;
/** Chain heads remembered per process; beyond this the oldest are forgotten (a miss costs one read). */
const MAX_CACHED_HEADS = 50_000;

interface Head {
  seq: number;
  hash: string;
}

/**
 * Appends audit rows through `audit_append_keyed` (migration AuditKeyedChain): one statement, hence one round trip
 * and one commit, per batch however many records and chains it holds. Each record's hash is an HMAC computed here with
 * the chain key (ChainKeyring), over the head this process last saw for its chain; the function locks each head and
 * stores the batch only if it continues those heads, else returns the current heads and the batch is re-keyed on them
 * and sent again, in a transaction that keeps the head locks. So a process appending alone to a chain (the usual
 * case) pays one round trip; a head not yet seen costs one lock-free read first; a head moved by another writer
 * costs a retry. Appends to one chain are
 * serialised by the head lock and appends that queue behind a write to the same chain are group-committed
 * (GroupCommit). Appends of their own go through AuditAppendPool (autocommit); appends given a manager run in its
 * transaction (where a stale first attempt keeps the head locks, so the retry cannot lose again).
 */
@Injectable()
export class AuditRepository {
  private readonly group = new GroupCommit<AuditRecord, StoredAuditEvent>(async (records, handedOver) => {
    const once = await this.write(
      records,
      (batch) => this.appendPool.append(batch, handedOver),
      (chainIds) => this.appendPool.heads(chainIds),
      1,
    );
    // Another writer moved a head meanwhile: again in a transaction, which keeps the head locks its first attempt
    // takes, so writers racing on one chain cannot keep each other out.
    return (
      once ??
      this.appendPool.transaction((q) =>
        this.write(
          records,
          (b) => q<Appended>(AUDIT_APPEND_SQL, [b.chainIds, b.records, b.prevHashes, b.hashes, b.keyId]),
          (chainIds) => q(AUDIT_HEADS_SQL, [chainIds]),
        ),
      )
    );
  });
  /** The last head this process saw per chain, in least-recently-used order. */
  private readonly heads = new Map<string, Head>();

  constructor(
    private readonly appendPool: AuditAppendPool,
    private readonly keys: ChainKeyring,
  ) {}

  async append(input: AuditEventInput): Promise<StoredAuditEvent> {
    const [stored] = await this.appendAll([input]);
    return stored;
  }

  /**
   * `append`, also telling when the record has been handed to Postgres (`handedOver`, see AuditAppendPool.append),
   * which comes before `stored` (its commit). `stored` may reject after `handedOver` has resolved. If another
   * writer moved the chain's head meanwhile, the handed-over attempt stores nothing and the retry writes the record:
   * a crash between the two loses it (only ever a read-only exchange's `started` row, whose call then never answers).
   */
  appendHandedOver(input: AuditEventInput): { handedOver: Promise<void>; stored: Promise<StoredAuditEvent> } {
    let signal!: () => void;
    const handedOver = new Promise<void>((resolve) => (signal = resolve));
    const record = toRecord(input);
    const stored = this.group.submit(record.chainId, [record], signal).then(([event]) => event);
    return { handedOver, stored };
  }

  /**
   * All or nothing, in order, in one transaction: `m`'s when given (the records then commit with the caller's
   * change), otherwise their own, shared with whatever else queued for the same chains meanwhile.
   */
  appendAll(inputs: readonly AuditEventInput[], m?: EntityManager): Promise<StoredAuditEvent[]> {
    if (!inputs.length) return Promise.resolve([]);
    const records = inputs.map(toRecord);
    if (m) {
      const inTransaction = (t: EntityManager) =>
        this.write(
          records,
          (b) => t.query(AUDIT_APPEND_SQL, [b.chainIds, b.records, b.prevHashes, b.hashes, b.keyId]),
          (chainIds) => t.query(AUDIT_HEADS_SQL, [chainIds]),
        );
      // Not in a transaction (a bare manager): make one, for the head locks a retry relies on.
      return m.queryRunner?.isTransactionActive ? inTransaction(m) : m.transaction(inTransaction);
    }
    return this.group.submit([...new Set(records.map((r) => r.chainId))].sort().join(' '), records);
  }

  /**
   * Keys the batch on the heads last seen and sends it; after a refusal (a head moved), again from the heads the
   * database returned. Inside a transaction the second attempt always lands (the first took the head locks). Returns
   * undefined when `maxAttempts` were all refused.
   */
  private async write(records: AuditRecord[], call: AppendCall, readHeads: HeadsCall): Promise<StoredAuditEvent[]>;
  private async write(records: AuditRecord[], call: AppendCall, readHeads: HeadsCall, maxAttempts: number): Promise<StoredAuditEvent[] | undefined>;
  private async write(records: AuditRecord[], call: AppendCall, readHeads: HeadsCall, maxAttempts?: number): Promise<StoredAuditEvent[] | undefined> {
    const chainIds = [...new Set(records.map((r) => r.chainId))];
    const unseen = chainIds.filter((c) => !this.heads.has(c));
    if (unseen.length) {
      const found = await readHeads(unseen);
      for (const c of unseen) this.remember(c, { seq: 0, hash: GENESIS });
      for (const h of found) this.remember(h.chain_id, { seq: Number(h.seq), hash: h.hash });
    }
    for (let attempt = 1; ; attempt++) {
      const { batch, stored } = this.keyed(records);
      const rows = await call(batch);
      if (rows.length && rows[0].ord === 0) {
        // Another writer moved a head: start again from the heads the database has now.
        for (const h of rows) this.remember(h.chain_id, { seq: Number(h.chain_seq), hash: h.hash });
        if (maxAttempts !== undefined && attempt >= maxAttempts) return undefined;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`audit chain heads kept moving after ${attempt} attempts`);
        continue;
      }
      for (const row of rows) this.remember(row.chain_id, { seq: Number(row.chain_seq), hash: row.hash });
      return rows.map((row: Appended) => stored[row.ord - 1]);
    }
  }

  /** The batch as the function takes it, each record keyed on the head before it. */
  private keyed(records: AuditRecord[]): { batch: AppendBatch; stored: StoredAuditEvent[] } {
    const key = this.keys.current;
    const running = new Map<string, Head>();
    const stored = records.map((r) => {
      const head = running.get(r.chainId) ?? this.heads.get(r.chainId)!;
      const record = { ...r, chainSeq: head.seq + 1 };
      const hash = chainHmac(key.key, head.hash, record);
      running.set(r.chainId, { seq: record.chainSeq, hash });
      return { ...record, prevHash: head.hash, hash, keyId: key.id };
    });
    return {
      batch: {
        chainIds: stored.map((s) => s.chainId),
        records: stored.map(({ prevHash: _p, hash: _h, keyId: _k, ...record }) => canonicalJson(record)),
        prevHashes: stored.map((s) => s.prevHash),
        hashes: stored.map((s) => s.hash),
        keyId: key.id,
      },
      stored,
    };
  }

  private remember(chainId: string, head: Head): void {
    this.heads.delete(chainId);
    this.heads.set(chainId, head);
    if (this.heads.size > MAX_CACHED_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  /** One page of a chain in order, for verification. */
  chainPage(m: EntityManager, chainId: string, afterSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    return m
      .query(
        `select ${SELECT_AUDIT_COLUMNS} from audit_events where chain_id = $1 and chain_seq > $2
         order by chain_seq limit $3`,
        [chainId, afterSeq, limit],
      )
      .then((rows: Record<string, unknown>[]) => rows.map(toStoredEvent));
  }

  async chainHead(m: EntityManager, chainId: string): Promise<{ seq: number; hash: string } | undefined> {
    const [head] = await m.query(`select seq, hash from audit_chain_heads where chain_id = $1`, [chainId]);
    return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
  }
}

/** The record as hashed, before it has a place in its chain. */
function toRecord(input: AuditEventInput): AuditRecord {
  return {
    id: input.id ?? randomUUID(),
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    chainId: chainIdFor(input.vendorId, input.organisationId),
    chainSeq: 0,
    vendorId: input.vendorId,
    organisationId: input.organisationId,
    category: input.category,
    type: input.type,
    requestId: input.requestId,
    actor: input.actor,
    operation: input.operation,
    outcome: input.outcome,
    httpStatus: input.httpStatus,
    errorCode: input.errorCode,
    usiHmac: input.usiHmac,
    usiMasked: input.usiMasked,
    relatedEventId: input.relatedEventId,
    details: input.details,
  };
}
