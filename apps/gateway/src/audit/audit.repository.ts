import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { AUDIT_COLUMNS, SELECT_AUDIT_COLUMNS, toStoredEvent } from './audit-event.columns';
import { AuditEventInput, AuditRecord, StoredAuditEvent } from './audit.types';
import { chainHash, chainIdFor, GENESIS_HASH } from './chain/audit-chain';

const INSERT_COLUMNS = AUDIT_COLUMNS.map(([, column]) => column).join(', ');
const INSERT_VALUES = AUDIT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');

/** Appends audit rows; each append is one short transaction that holds its chain head's row lock. */
@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TenantTransaction) {}

  append(input: AuditEventInput): Promise<StoredAuditEvent> {
    const { vendorId } = input;
    return vendorId
      ? this.tx.runInTenant(vendorId, (m) => this.appendIn(m, input))
      : this.tx.runInPlatformScope('audit: platform event', (m) => this.appendIn(m, input));
  }

  private async appendIn(m: EntityManager, input: AuditEventInput): Promise<StoredAuditEvent> {
    const chainId = chainIdFor(input.vendorId, input.organisationId);
    // The no-op update takes the row lock and returns the current head in one round trip.
    const [head] = await m.query(
      `insert into audit_chain_heads (chain_id, vendor_id, seq, hash) values ($1, $2, 0, $3)
       on conflict (chain_id) do update set updated_at = now() returning seq, hash`,
      [chainId, input.vendorId, GENESIS_HASH],
    );
    const record: AuditRecord = {
      id: input.id ?? randomUUID(),
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      chainId,
      chainSeq: Number(head.seq) + 1,
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
    const stored: StoredAuditEvent = { ...record, prevHash: head.hash, hash: chainHash(head.hash, record) };
    const values = AUDIT_COLUMNS.map(([field]) => stored[field]);
    const n = values.length;
    await m.query(
      `with appended as (insert into audit_events (${INSERT_COLUMNS}) values (${INSERT_VALUES}))
       update audit_chain_heads set seq = $${n + 1}, hash = $${n + 2} where chain_id = $${n + 3}`,
      [...values, stored.chainSeq, stored.hash, chainId],
    );
    return stored;
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
