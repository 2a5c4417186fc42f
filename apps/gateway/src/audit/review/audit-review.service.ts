import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, toPage } from '../../common/pagination/cursor';
import type { Principal } from '../../common/request-context/principal';
import { StoredAuditEvent } from '../audit.types';
import { organisationChain, PLATFORM_CHAIN, vendorChain } from '../chain/audit-chain';
import { ChainVerification } from '../chain/chain-verifier';
import { UsiFingerprinter } from '../usi-fingerprint';
import { AuditFilter, AuditFilterQuery, AuditSearchQuery } from './audit-filter';
import { AuditQueryRepository } from './audit-query.repository';
import { auditScopeOf, AuditScope } from './audit-scope';
import { PlatformReadsRecorder, vendorReadsOf } from './platform-reads.recorder';

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
  ) {}

  async search(principal: Principal, query: AuditSearchQuery): Promise<Page<StoredAuditEvent>> {
    const scope = auditScopeOf(principal);
    const filter = await this.resolve(scope, query);
    await this.reads.recordSearch(principal, scope, 'audit.searched', query);
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.queries.search(scope, filter, query.limit + 1, after);
    const page = toPage(
      rows.map((r) => ({ ...r, createdAt: new Date(r.occurredAt) })),
      query.limit,
    );
    const items = page.items.map(({ createdAt: _, ...event }) => event);
    await this.reads.recordVendorReads(principal, scope, 'audit.searched', query, vendorReadsOf(items));
    return { items, nextCursor: page.nextCursor };
  }

  /** The inbound event and every exchange and security event of one request, in order. */
  async request(principal: Principal, requestId: string): Promise<{ requestId: string; events: StoredAuditEvent[] }> {
    const scope = auditScopeOf(principal);
    await this.reads.recordSearch(principal, scope, 'audit.searched', { requestId });
    const events = await this.queries.search(scope, { requestId }, 10_000);
    if (!events.length) throw new NotFoundError('audit_request');
    await this.reads.recordVendorReads(principal, scope, 'audit.request_read', { requestId }, vendorReadsOf(events));
    return { requestId, events };
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
    return this.queries.stream(scope, filter, sink, beforeRows);
  }

  /**
   * An organisation's chain; without one, the caller's vendor chain or (staff) the platform chain. Staff name the
   * vendor (`vendor`) when several vendors registered the org code: each registration has its own chain.
   */
  async verify(principal: Principal, orgCode: string | undefined, vendorId?: string): Promise<ChainVerification> {
    const scope = auditScopeOf(principal);
    let chainId: string;
    let organisation: { id: string; vendorId: string } | undefined;
    if (orgCode) {
      const found = await this.organisations(scope, orgCode, vendorId);
      if (found.length > 1) {
        const message = `Organisation ${orgCode} is registered by ${found.length} vendors; name one with vendor`;
        throw new AppError('organisation.ambiguous', message, undefined, undefined, { vendorIds: found.map((o) => o.vendorId) });
      }
      organisation = found[0];
      chainId = organisationChain(organisation.id);
    } else if (scope.kind === 'platform') {
      chainId = PLATFORM_CHAIN;
    } else {
      if (scope.organisationIds) throw new NotFoundError('organisation');
      chainId = vendorChain(scope.vendorId);
    }
    await this.reads.recordSearch(principal, scope, 'audit.verified', { chainId });
    const verification = await this.queries.verify(scope, chainId);
    if (organisation) {
      const read = { vendorId: organisation.vendorId, organisationIds: [organisation.id], events: verification.checked };
      await this.reads.recordVendorReads(principal, scope, 'audit.verified', { chainId }, [read]);
    }
    return verification;
  }

  private async resolve(scope: AuditScope, q: AuditFilterQuery): Promise<AuditFilter> {
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
  private async organisations(scope: AuditScope, orgCode: string, vendorId?: string): Promise<{ id: string; vendorId: string }[]> {
    const allowed = scope.kind === 'vendor' ? scope.organisationIds : null;
    const found = (await this.queries.organisationsByCode(scope, orgCode, vendorId)).filter((o) => !allowed || allowed.includes(o.id));
    if (!found.length) throw new NotFoundError('organisation');
    return found;
  }
}
