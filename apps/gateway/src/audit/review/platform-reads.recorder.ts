import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/request-context/principal';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { asVendorId } from '../../database/vendor-id';
import { AuditService } from '../audit.service';
import type { StoredAuditEvent } from '../audit.types';
import { UsiFingerprinter } from '../usi-fingerprint';
import type { AuditScope } from './audit-scope';

/** One vendor's share of what a platform read returned. */
export interface VendorRead {
  vendorId: string;
  organisationIds: string[];
  events: number;
}

export const PLATFORM_READ_EVENT = 'audit.read_by_platform';

/**
 * Platform staff (`platform_support`, `platform_admin`) read across vendors, so every read is on the record twice:
 * the search itself on the platform chain, and — for each vendor whose rows it returned — an event on that vendor's
 * own chain (who, what, when), so the vendor sees in its own trail that the operator looked at its data. Both are
 * written before the rows leave the gateway.
 */
@Injectable()
export class PlatformReadsRecorder {
  constructor(
    private readonly audit: AuditService,
    private readonly usi: UsiFingerprinter,
    private readonly tenant: TenantContext,
  ) {}

  /** The search on the platform chain, with the USI filter only masked. */
  async recordSearch(principal: Principal, scope: AuditScope, action: string, query: Record<string, unknown>): Promise<void> {
    if (scope.kind !== 'platform') return;
    await this.audit.recordSecurityEvent({ type: action, actor: principal, details: { filters: this.filters(query) } });
  }

  /** One event per vendor whose data was read, on that vendor's chain. */
  async recordVendorReads(
    principal: Principal,
    scope: AuditScope,
    action: string,
    query: Record<string, unknown>,
    reads: VendorRead[],
  ): Promise<void> {
    if (scope.kind !== 'platform' || !reads.length) return;
    const filters = this.filters(query);
    const requestId = this.tenant.requestId;
    await Promise.all(
      reads.map((read) =>
        this.audit.recordSecurityEvent({
          type: PLATFORM_READ_EVENT,
          vendorId: asVendorId(read.vendorId),
          actor: principal,
          details: { action, filters, organisationIds: read.organisationIds, events: read.events, ...(requestId ? { requestId } : {}) },
        }),
      ),
    );
  }

  private filters(query: Record<string, unknown>): Record<string, unknown> {
    const { usi, ...rest } = query;
    return Object.fromEntries(
      Object.entries({ ...rest, usi: typeof usi === 'string' ? this.usi.fingerprint(usi).masked : undefined })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]: [string, unknown]) => [k, v instanceof Date ? v.toISOString() : v]),
    );
  }
}

/** Groups returned rows by vendor; rows without a vendor (the platform chain) are nobody else's data. */
export function vendorReadsOf(events: Pick<StoredAuditEvent, 'vendorId' | 'organisationId'>[]): VendorRead[] {
  const byVendor = new Map<string, { organisations: Set<string>; events: number }>();
  for (const e of events) {
    if (!e.vendorId) continue;
    const entry = byVendor.get(e.vendorId) ?? { organisations: new Set<string>(), events: 0 };
    entry.events += 1;
    if (e.organisationId) entry.organisations.add(e.organisationId);
    byVendor.set(e.vendorId, entry);
  }
  return [...byVendor].map(([vendorId, { organisations, events }]) => ({
    vendorId,
    organisationIds: [...organisations].sort(),
    events,
  }));
}
