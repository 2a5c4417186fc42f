import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, toPage } from '../../common/pagination/cursor';
import type { Principal } from '../../common/request-context/principal';
import { StoredAuditEvent } from '../audit.types';
import { organisationChain, vendorChain } from '../chain/audit-chain';
import { ChainVerification } from '../chain/chain-verifier';
import { RawExchangeStore } from '../raw/raw-exchange.store';
import { UsiFingerprinter } from '../usi-fingerprint';
import { AuditFilter, AuditFilterQuery, AuditOrder, AuditSearchQuery } from './audit-filter';
import { AuditQueryRepository, ChainRef } from './audit-query.repository';
import { auditScopeOf, AuditScope } from './audit-scope';
import { PlatformReadsRecorder, VendorRead, vendorReadsOf } from './platform-reads.recorder';
import { buildRequestStory, RequestStory } from './request-story';

/** One chain's verification, with what the chain belongs to. */
export type ChainReport = ChainRef & ChainVerification;

/** Every chain the caller may see, each with its result; `ok` only when all are intact. */
export interface ChainsReport {
  ok: boolean;
  chains: ChainReport[];
}

export interface VerifyQuery {
  organisation?: string;
  vendor?: string;
}

/**
 * The audit trail for its readers, within the access policy's reach (rule 4). Platform staff reads are recorded on
 * the platform chain and on the chain of every vendor whose rows they returned (PlatformReadsRecorder).
 */
@Injectable()
export class AuditReviewService {
  constructor(
    private readonly queries: AuditQueryRepository,
    private readonly reads: PlatformReadsRecorder,
    private readonly usi: UsiFingerprinter,
    private readonly raw: RawExchangeStore,
  ) {}

  async search(principal: Principal, query: AuditSearchQuery): Promise<Page<StoredAuditEvent>> {
    const scope = auditScopeOf(principal);
    const filter = await this.resolve(scope, query);
    await this.reads.recordSearch(principal, scope, 'audit.searched', query);
    const after = query.cursor ? decodeCursor(unwrapCursor(query.cursor, query.order)) : undefined;
    const rows = await this.queries.search(scope, filter, query.limit + 1, query.order, after);
    const page = toPage(
      rows.map((r) => ({ ...r, createdAt: new Date(r.occurredAt) })),
      query.limit,
    );
    const items = page.items.map(({ createdAt: _, ...event }) => event);
    await this.reads.recordVendorReads(principal, scope, 'audit.searched', query, vendorReadsOf(items));
    return { items, nextCursor: page.nextCursor && `${query.order}.${page.nextCursor}` };
  }

  /**
   * The story of one request: inbound call, actor, each exchange with its timing and outcome, the guidance for its
   * error, and (platform_admin only) where its retained raw SOAP can be opened; every row, oldest first.
   */
  async request(principal: Principal, requestId: string): Promise<RequestStory> {
    const scope = auditScopeOf(principal);
    await this.reads.recordSearch(principal, scope, 'audit.searched', { requestId });
    const events = await this.queries.search(scope, { requestId }, 10_000, 'asc');
    if (!events.length) throw new NotFoundError('audit_request');
    await this.reads.recordVendorReads(principal, scope, 'audit.request_read', { requestId }, vendorReadsOf(events));
    const organisationIds = [...new Set(events.flatMap((e) => (e.organisationId ? [e.organisationId] : [])))];
    const orgCodes = await this.queries.orgCodes(scope, organisationIds);
    const retained = principal.roles.includes('platform_admin') ? new Set(await this.raw.retainedFor(requestId)) : new Set<string>();
    return buildRequestStory(requestId, events, orgCodes, retained);
  }

  async export(
    principal: Principal,
    query: AuditFilterQuery,
    sink: (batch: StoredAuditEvent[]) => Promise<void>,
  ): Promise<number> {
    const scope = auditScopeOf(principal);
    const filter = await this.resolve(scope, query);
    await this.reads.recordSearch(principal, scope, 'audit.exported', query);
    // Staff: which vendors the export covers is counted in the export's own snapshot and recorded before any row leaves.
    const beforeRows =
      scope.kind === 'platform'
        ? (vendors: Parameters<PlatformReadsRecorder['recordVendorReads']>[4]) =>
            this.reads.recordVendorReads(principal, scope, 'audit.exported', query, vendors)
        : undefined;
    return this.queries.stream(scope, filter, query.order, sink, beforeRows);
  }

  /**
   * `organisation`: that organisation's chain (staff name the `vendor` too when several vendors registered the code:
   * each registration has its own chain). `vendor` alone: that vendor's chain (credential and API-key events), for
   * its whole-vendor readers and staff. Neither: every chain the caller may see, each with its result.
   */
  async verify(principal: Principal, query: VerifyQuery): Promise<ChainReport | ChainsReport> {
    const scope = auditScopeOf(principal);
    if (query.organisation) return this.verifyOrganisation(principal, scope, query.organisation, query.vendor);
    if (query.vendor) return this.verifyVendor(principal, scope, query.vendor);
    const refs = await this.queries.chainsInScope(scope);
    await this.reads.recordSearch(principal, scope, 'audit.verified', { chains: refs.length });
    const chains: ChainReport[] = [];
    for (const ref of refs) chains.push({ ...ref, ...(await this.queries.verify(scope, ref.chainId)) });
    await this.reads.recordVendorReads(principal, scope, 'audit.verified', { chains: refs.length }, vendorsVerified(chains));
    return { ok: chains.every((c) => c.ok), chains };
  }

  private async verifyOrganisation(principal: Principal, scope: AuditScope, orgCode: string, vendorId?: string): Promise<ChainReport> {
    const found = await this.organisations(scope, orgCode, vendorId);
    if (found.length > 1) {
      const message = `Organisation ${orgCode} is registered by ${found.length} vendors; name one with vendor`;
      throw new AppError('organisation.ambiguous', message, undefined, undefined, { vendorIds: found.map((o) => o.vendorId) });
    }
    const [organisation] = found;
    const chainId = organisationChain(organisation.id);
    await this.reads.recordSearch(principal, scope, 'audit.verified', { chainId });
    const verification = await this.queries.verify(scope, chainId);
    const read = { vendorId: organisation.vendorId, organisationIds: [organisation.id], events: verification.checked };
    await this.reads.recordVendorReads(principal, scope, 'audit.verified', { chainId }, [read]);
    const ref: ChainRef = { chainId, chain: 'organisation', vendorId: organisation.vendorId, organisationId: organisation.id, orgCode: organisation.orgCode };
    return { ...ref, ...verification };
  }

  /** A vendor's own chain: unknown and another vendor's look the same; a reader restricted to organisations has none. */
  private async verifyVendor(principal: Principal, scope: AuditScope, vendorId: string): Promise<ChainReport> {
    if (!(await this.queries.vendorVisible(scope, vendorId))) {
      throw new AppError('vendor.not_found', `No vendor ${vendorId} in the audit trail you can read`);
    }
    if (scope.kind === 'vendor' && scope.organisationIds) {
      throw new AppError('auth.vendor_wide_required', "Only a key or account for the whole vendor can verify the vendor's chain");
    }
    const chainId = vendorChain(vendorId);
    await this.reads.recordSearch(principal, scope, 'audit.verified', { chainId });
    const verification = await this.queries.verify(scope, chainId);
    await this.reads.recordVendorReads(principal, scope, 'audit.verified', { chainId }, [{ vendorId, organisationIds: [], events: verification.checked }]);
    return { chain: 'vendor', vendorId, ...verification };
  }

  private async resolve(scope: AuditScope, q: AuditFilterQuery): Promise<AuditFilter> {
    // A vendor's reader naming another vendor is told so, as verify tells it, instead of getting its own rows back.
    if (q.vendor && scope.kind === 'vendor' && q.vendor !== scope.vendorId) {
      throw new AppError('vendor.not_found', `No vendor ${q.vendor} in the audit trail you can read`);
    }
    return {
      from: q.from,
      to: q.to,
      vendorId: scope.kind === 'platform' ? q.vendor : undefined,
      // Staff searching by org code see every vendor's registration of it unless they name the vendor too.
      organisationIds: q.organisation ? (await this.organisations(scope, q.organisation, q.vendor)).map((o) => o.id) : undefined,
      category: q.category,
      operation: q.operation,
      outcome: q.outcome,
      errorCode: q.errorCode,
      requestId: q.requestId,
      usiHmac: q.usi ? this.usi.hmac(q.usi) : undefined,
    };
  }

  /** At least one registration of `orgCode` the caller may see; unknown and not-yours look the same. */
  private async organisations(scope: AuditScope, orgCode: string, vendorId?: string): Promise<{ id: string; vendorId: string; orgCode: string }[]> {
    const allowed = scope.kind === 'vendor' ? scope.organisationIds : null;
    const found = (await this.queries.organisationsByCode(scope, orgCode, vendorId)).filter((o) => !allowed || allowed.includes(o.id));
    if (!found.length) throw new AppError('organisation.not_found', `No organisation ${orgCode} in the audit trail you can read`);
    return found;
  }
}

/** Per vendor, which of its chains a verification read and how many events: what staff saw of that vendor. */
function vendorsVerified(chains: ChainReport[]): VendorRead[] {
  const byVendor = new Map<string, VendorRead>();
  for (const c of chains) {
    if (!c.vendorId) continue;
    const read = byVendor.get(c.vendorId) ?? { vendorId: c.vendorId, organisationIds: [], events: 0 };
    if (c.organisationId) read.organisationIds.push(c.organisationId);
    read.events += c.checked;
    byVendor.set(c.vendorId, read);
  }
  return [...byVendor.values()];
}

/**
 * A page cursor names the order it continues (`desc.…`, `asc.…`): followed with the other order it would skip or repeat
 * rows, so it is refused like any cursor this API did not return.
 */
function unwrapCursor(cursor: string, order: AuditOrder): string {
  const prefix = `${order}.`;
  if (!cursor.startsWith(prefix)) throw new AppError('request.invalid_cursor', `This cursor continues a search in the other order; send order=${order === 'asc' ? 'desc' : 'asc'} or start again`);
  return cursor.slice(prefix.length);
}
