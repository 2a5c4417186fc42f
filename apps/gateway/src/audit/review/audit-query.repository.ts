import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CursorPosition } from '../../common/pagination/cursor';
import { ConnectionLostError } from '../../database/connection-lost.error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { SELECT_AUDIT_COLUMNS, toStoredEvent } from '../audit-event.columns';
import { AuditRepository } from '../audit.repository';
import { StoredAuditEvent } from '../audit.types';
import { AUDIT_ANCHOR_STORE, AuditAnchorStore } from '../anchor/audit-anchor.store';
import { organisationChain, PLATFORM_CHAIN, vendorChain } from '../chain/audit-chain';
import { ChainKeyring } from '../chain/chain-keyring';
import { ChainVerification, verifyChain } from '../chain/chain-verifier';
import { afterCursor, AuditFilter, AuditOrder, filterConditions, orderBy } from './audit-filter';
import { AuditScope } from './audit-scope';
import type { VendorRead } from './platform-reads.recorder';

const EXPORT_BATCH = 2000;

/** One chain a caller may verify, with what it belongs to. */
export interface ChainRef {
  chainId: string;
  chain: 'platform' | 'vendor' | 'organisation';
  vendorId?: string;
  organisationId?: string;
  orgCode?: string;
}
const VERIFY_BATCH = 5000;

/** Reads the trail within the caller's scope: RLS enforces the vendor, the SQL adds the organisation restriction. */
@Injectable()
export class AuditQueryRepository {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly chains: AuditRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ChainKeyring,
    @Inject(AUDIT_ANCHOR_STORE) private readonly anchors: AuditAnchorStore,
  ) {}

  inScope<T>(scope: AuditScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return scope.kind === 'platform'
      ? this.tx.runInPlatformScope('audit: staff review', work)
      : this.tx.runInTenant(scope.vendorId, work);
  }

  /**
   * The organisations registered under `orgCode` that the scope can see, with their vendors. Org codes are unique per
   * vendor, so a vendor finds at most one; staff may find one per vendor that registered the provider (`vendorId`
   * narrows to one).
   */
  async organisationsByCode(scope: AuditScope, orgCode: string, vendorId?: string): Promise<{ id: string; vendorId: string; orgCode: string }[]> {
    const vendor = scope.kind === 'vendor' ? scope.vendorId : (vendorId ?? null);
    return this.inScope(scope, (m) =>
      m.query(
        `select id, vendor_id as "vendorId", org_code as "orgCode" from organisations
         where lower(org_code) = lower($1) and ($2::uuid is null or vendor_id = $2)
         order by created_at, id`,
        [orgCode, vendor],
      ),
    );
  }

  /** Whether the vendor exists and the scope may see it (a vendor's own callers see only their vendor). */
  async vendorVisible(scope: AuditScope, vendorId: string): Promise<boolean> {
    if (scope.kind === 'vendor' && scope.vendorId !== vendorId) return false;
    const rows: unknown[] = await this.inScope(scope, (m) => m.query(`select 1 from vendors where id = $1`, [vendorId]));
    return rows.length > 0;
  }

  /**
   * Every chain the scope may verify whole: staff the platform chain, every vendor's and every organisation's; a
   * vendor-wide reader its vendor chain and its organisations'; a restricted reader its organisations' only. Read
   * from the tenancy tables, so a chain whose head row went missing is still listed (and found broken).
   */
  async chainsInScope(scope: AuditScope): Promise<ChainRef[]> {
    return this.inScope(scope, async (m) => {
      const restricted = scope.kind === 'vendor' ? scope.organisationIds : null;
      const vendors: { vendorId: string }[] =
        restricted !== null ? [] : await m.query(`select id as "vendorId" from vendors order by created_at, id`);
      const organisations: { organisationId: string; vendorId: string; orgCode: string }[] = await m.query(
        `select id as "organisationId", vendor_id as "vendorId", org_code as "orgCode" from organisations
         where ($1::uuid[] is null or id = any($1::uuid[])) order by vendor_id, org_code, id`,
        [restricted],
      );
      return [
        ...(scope.kind === 'platform' ? [{ chainId: PLATFORM_CHAIN, chain: 'platform' as const }] : []),
        ...vendors.map((v) => ({ chainId: vendorChain(v.vendorId), chain: 'vendor' as const, vendorId: v.vendorId })),
        ...organisations.map((o) => ({ chainId: organisationChain(o.organisationId), chain: 'organisation' as const, ...o })),
      ];
    });
  }

  /** Org codes of organisations the scope can see, for the story of a request. */
  async orgCodes(scope: AuditScope, organisationIds: string[]): Promise<Map<string, string>> {
    if (!organisationIds.length) return new Map();
    const rows: { id: string; orgCode: string }[] = await this.inScope(scope, (m) =>
      m.query(`select id, org_code as "orgCode" from organisations where id = any($1::uuid[])`, [organisationIds]),
    );
    return new Map(rows.map((r) => [r.id, r.orgCode]));
  }

  search(scope: AuditScope, filter: AuditFilter, limit: number, order: AuditOrder, after?: CursorPosition): Promise<StoredAuditEvent[]> {
    const { sql, params } = filterConditions(filter, restriction(scope));
    if (after) {
      params.push(after.createdAt, after.id);
      sql.push(afterCursor(order, `$${params.length - 1}`, `$${params.length}`));
    }
    params.push(limit);
    return this.inScope(scope, (m) =>
      m.query(
        `select ${SELECT_AUDIT_COLUMNS} from audit_events ${where(sql)} ${orderBy(order)} limit $${params.length}`,
        params,
      ),
    ).then((rows: Record<string, unknown>[]) => rows.map(toStoredEvent));
  }

  /**
   * Streams every matching row through a server-side cursor, one batch at a time: `sink` resolves when the consumer
   * can take more, so memory stays flat however many rows match. `beforeRows` learns, in the same snapshot, whose
   * rows the export holds, before the first one is fetched.
   */
  async stream(
    scope: AuditScope,
    filter: AuditFilter,
    order: AuditOrder,
    sink: (batch: StoredAuditEvent[]) => Promise<void>,
    beforeRows?: (vendors: VendorRead[]) => Promise<void>,
  ): Promise<number> {
    const { sql, params } = filterConditions(filter, restriction(scope));
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let total = 0;
    try {
      await runner.startTransaction('REPEATABLE READ');
      if (scope.kind === 'platform') {
        await runner.query(`select set_config('app.platform_scope', 'on', true), set_config('app.scope_reason', $1, true)`, [
          'audit: export',
        ]);
      } else {
        await runner.query(`select set_config('app.vendor_id', $1, true)`, [scope.vendorId]);
      }
      if (beforeRows) {
        const vendors: VendorRead[] = await runner.query(
          `select vendor_id::text as "vendorId", coalesce(array_agg(distinct organisation_id::text)
                    filter (where organisation_id is not null), '{}') as "organisationIds", count(*)::int as events
           from audit_events ${where([...sql, 'vendor_id is not null'])} group by vendor_id order by vendor_id`,
          params,
        );
        await beforeRows(vendors);
      }
      await runner.query(
        `declare audit_export no scroll cursor for
         select ${SELECT_AUDIT_COLUMNS} from audit_events ${where(sql)} ${orderBy(order)}`,
        params,
      );
      for (;;) {
        const rows: Record<string, unknown>[] = await runner.query(`fetch ${EXPORT_BATCH} from audit_export`);
        if (!rows.length) break;
        total += rows.length;
        await sink(rows.map(toStoredEvent));
      }
      await runner.commitTransaction();
      return total;
    } catch (err) {
      // Released before our `finally` only by TypeORM itself, when the connection died (see TenantTransaction).
      if (runner.isReleased) throw new ConnectionLostError(err);
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  /** Against the chain keys and the chain's latest checkpoint from the anchor store (read before the rows). */
  async verify(scope: AuditScope, chainId: string): Promise<ChainVerification> {
    const anchor = await this.anchors.latest(chainId);
    return this.inScope(scope, async (m) =>
      verifyChain(chainId, (afterSeq) => this.chains.chainPage(m, chainId, afterSeq, VERIFY_BATCH), await this.chains.chainHead(m, chainId), {
        keyFor: (keyId) => this.keys.key(keyId),
        checkpoint: anchor.checkpoint,
        anchorProblems: anchor.problems,
      }),
    );
  }

  /** Every chain's head, for the daily log line that makes rewriting history detectable. */
  chainHeads(): Promise<{ chainId: string; seq: number; hash: string }[]> {
    return this.tx
      .runInPlatformScope('audit: daily chain heads', (m) =>
        m.query(`select chain_id as "chainId", seq, hash from audit_chain_heads order by chain_id`),
      )
      .then((rows: { chainId: string; seq: string; hash: string }[]) => rows.map((r) => ({ ...r, seq: Number(r.seq) })));
  }
}

function restriction(scope: AuditScope): string[] | null {
  return scope.kind === 'vendor' ? scope.organisationIds : null;
}

function where(conditions: string[]): string {
  return conditions.length ? `where ${conditions.join(' and ')}` : '';
}
