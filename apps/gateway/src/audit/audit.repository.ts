import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppendCall, AUDIT_APPEND_SQL, AuditAppendPool } from './audit-append.pool';
import { SELECT_AUDIT_COLUMNS, toStoredEvent } from './audit-event.columns';
import { AuditEventInput, AuditRecord, StoredAuditEvent } from './audit.types';
import { chainIdFor } from './chain/audit-chain';
import { canonicalJsonAround } from './chain/canonical-json';
import { GroupCommit } from './chain/group-commit';

/**
 * Appends audit rows through `audit_append` (migration AuditAppendFunction): one statement, hence one round trip
 * and one commit, per batch however many records and chains it holds. The function locks each chain head, so
 * appends to one chain are serialised and appends to different chains are not; appends that queue behind a write to
 * the same chain are group-committed (GroupCommit). Appends of their own go through AuditAppendPool (autocommit, the
 * call is its own transaction); appends given a manager run in its transaction.
 */
@Injectable()
export class AuditRepository {
  private readonly group = new GroupCommit<AuditRecord, StoredAuditEvent>((records, handedOver) =>
    this.write(records, (chainIds, heads, tails) => this.appendPool.append(chainIds, heads, tails, handedOver)),
  );

  constructor(private readonly appendPool: AuditAppendPool) {}

  async append(input: AuditEventInput): Promise<StoredAuditEvent> {
    const [stored] = await this.appendAll([input]);
    return stored;
  }

  /**
   * `append`, also telling when the record has been handed to Postgres (`handedOver`, see AuditAppendPool.append),
   * which comes before `stored` (its commit). `stored` may reject after `handedOver` has resolved.
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
    if (m) return this.write(records, (chainIds, heads, tails) => m.query(AUDIT_APPEND_SQL, [chainIds, heads, tails]));
    return this.group.submit([...new Set(records.map((r) => r.chainId))].sort().join(' '), records);
  }

  private async write(records: AuditRecord[], call: AppendCall): Promise<StoredAuditEvent[]> {
    const parts = records.map(({ chainSeq: _, ...rest }) => canonicalJsonAround(rest, 'chainSeq'));
    const rows = await call(
      records.map((r) => r.chainId),
      parts.map((p) => p.head),
      parts.map((p) => p.tail),
    );
    return rows.map((row) => ({
      ...records[row.ord - 1],
      chainSeq: Number(row.chain_seq),
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
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

/** The record as hashed; the chain sequence is assigned by the database under the head lock. */
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
