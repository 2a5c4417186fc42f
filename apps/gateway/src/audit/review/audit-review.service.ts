import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/app-error';
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

  /** An organisation's chain; without one, the caller's vendor chain or (staff) the platform chain. */
  async verify(principal: Principal, orgCode: string | undefined): Promise<ChainVerification> {
    const scope = auditScopeOf(principal);
    let chainId: string;
    let organisation: { id: string; vendorId: string } | undefined;
    if (orgCode) {
      organisation = await this.organisation(scope, orgCode);
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
      organisationId: q.organisation ? (await this.organisation(scope, q.organisation)).id : undefined,
      category: q.category,
      operation: q.operation,
      outcome: q.outcome,
      errorCode: q.errorCode,
      requestId: q.requestId,
      usiHmac: q.usi ? this.usi.hmac(q.usi) : undefined,
    };
  }

  /** Unknown and not-yours look the same. */
  private async organisation(scope: AuditScope, orgCode: string): Promise<{ id: string; vendorId: string }> {
    const found = await this.queries.organisationByCode(scope, orgCode);
    if (!found || (scope.kind === 'vendor' && scope.organisationIds && !scope.organisationIds.includes(found.id))) {
      throw new NotFoundError('organisation');
    }
    return found;
  }
}
