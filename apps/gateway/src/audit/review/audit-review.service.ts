import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, toPage } from '../../common/pagination/cursor';
import type { Principal } from '../../common/request-context/principal';
import { StoredAuditEvent } from '../audit.types';
import { AuditService } from '../audit.service';
import { organisationChain, PLATFORM_CHAIN, vendorChain } from '../chain/audit-chain';
import { ChainVerification } from '../chain/chain-verifier';
import { UsiFingerprinter } from '../usi-fingerprint';
import { AuditFilter, AuditFilterQuery, AuditSearchQuery } from './audit-filter';
import { AuditQueryRepository } from './audit-query.repository';
import { auditScopeOf, AuditScope } from './audit-scope';

@Injectable()
export class AuditReviewService {
  constructor(
    private readonly queries: AuditQueryRepository,
    private readonly audit: AuditService,
    private readonly usi: UsiFingerprinter,
  ) {}

  async search(principal: Principal, query: AuditSearchQuery): Promise<Page<StoredAuditEvent>> {
    const scope = auditScopeOf(principal);
    const filter = await this.resolve(scope, query);
    await this.recordStaffAccess(principal, scope, 'audit.searched', query);
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.queries.search(scope, filter, query.limit + 1, after);
    const page = toPage(
      rows.map((r) => ({ ...r, createdAt: new Date(r.occurredAt) })),
      query.limit,
    );
    return { items: page.items.map(({ createdAt: _, ...event }) => event), nextCursor: page.nextCursor };
  }

  /** The inbound event and every exchange and security event of one request, in order. */
  async request(principal: Principal, requestId: string): Promise<{ requestId: string; events: StoredAuditEvent[] }> {
    const scope = auditScopeOf(principal);
    await this.recordStaffAccess(principal, scope, 'audit.searched', { requestId });
    const events = await this.queries.search(scope, { requestId }, 10_000);
    if (!events.length) throw new NotFoundError('audit_request');
    return { requestId, events };
  }

  async export(
    principal: Principal,
    query: AuditFilterQuery,
    sink: (batch: StoredAuditEvent[]) => Promise<void>,
  ): Promise<number> {
    const scope = auditScopeOf(principal);
    const filter = await this.resolve(scope, query);
    await this.recordStaffAccess(principal, scope, 'audit.exported', query);
    return this.queries.stream(scope, filter, sink);
  }

  /**
   * An organisation's chain; without one, the caller's vendor chain or (staff) the platform chain. Staff name the
   * vendor (`vendor`) when several vendors registered the org code: each registration has its own chain.
   */
  async verify(principal: Principal, orgCode: string | undefined, vendorId?: string): Promise<ChainVerification> {
    const scope = auditScopeOf(principal);
    let chainId: string;
    if (orgCode) {
      const found = await this.organisations(scope, orgCode, vendorId);
      if (found.length > 1) {
        const message = `Organisation ${orgCode} is registered by ${found.length} vendors; name one with vendor`;
        throw new AppError('organisation.ambiguous', message, undefined, undefined, { vendorIds: found.map((o) => o.vendorId) });
      }
      chainId = organisationChain(found[0].id);
    } else if (scope.kind === 'platform') {
      chainId = PLATFORM_CHAIN;
    } else {
      if (scope.organisationIds) throw new NotFoundError('organisation');
      chainId = vendorChain(scope.vendorId);
    }
    await this.recordStaffAccess(principal, scope, 'audit.verified', { chainId });
    return this.queries.verify(scope, chainId);
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

  /** Staff read across tenants, so what they looked at is itself on the record (the USI only masked). */
  private async recordStaffAccess(
    principal: Principal,
    scope: AuditScope,
    type: string,
    query: Record<string, unknown>,
  ): Promise<void> {
    if (scope.kind !== 'platform') return;
    const { usi, ...rest } = query;
    const filters = Object.fromEntries(
      Object.entries({ ...rest, usi: typeof usi === 'string' ? this.usi.fingerprint(usi).masked : undefined })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v)]),
    );
    await this.audit.recordSecurityEvent({ type, actor: principal, details: { filters } });
  }
}

function toJsonValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}
