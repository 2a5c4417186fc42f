import { Injectable } from '@nestjs/common';
import { AuditQueryRepository } from '../../audit/review/audit-query.repository';
import type { AuditScope } from '../../audit/review/audit-scope';
import type { VendorRead } from '../../audit/review/platform-reads.recorder';

export interface HourCount {
  hour: string;
  calls: number;
  errors: number;
}

export interface SupportCharts {
  since: string;
  hours: HourCount[];
  errorsByCode: { label: string; count: number }[];
  errorsByOrganisation: { label: string; count: number }[];
  latency: { kind: string; operation: string; exchanges: number; p50: number; p95: number }[];
  /** Whose rows the charts counted: what platform staff read of each vendor. */
  vendorReads: VendorRead[];
}

const HOURS = 7 * 24;
const TOP = 15;

/**
 * The console's charts from the audit trail, within the caller's reach (the audit's own scoping: RLS by vendor, the
 * organisation restriction in SQL). API calls are the inbound events of `/v1` routes; upstream latency is the
 * `durationMs` each exchange's outcome row records.
 */
@Injectable()
export class SupportChartsRepository {
  constructor(private readonly audit: AuditQueryRepository) {}

  async charts(scope: AuditScope, now: Date): Promise<SupportCharts> {
    const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
    const since = new Date(end.getTime() - HOURS * 3_600_000);
    const orgs = scope.kind === 'vendor' ? scope.organisationIds : null;
    const inScope = `occurred_at >= $1 and ($2::uuid[] is null or organisation_id = any($2::uuid[]))`;
    const api = `category = 'inbound' and details->>'route' like '/v1/%'`;
    return this.audit.inScope(scope, async (m) => {
      const hourly: { hour: Date; calls: number; errors: number }[] = await m.query(
        `select date_trunc('hour', occurred_at) as hour, count(*)::int as calls,
                (count(*) filter (where error_code is not null or http_status >= 400))::int as errors
         from audit_events where ${inScope} and ${api} group by 1 order by 1`,
        [since, orgs],
      );
      const byCode: { label: string; count: number }[] = await m.query(
        `select error_code as label, count(*)::int as count from audit_events
         where ${inScope} and ${api} and error_code is not null group by 1 order by 2 desc, 1 limit ${TOP}`,
        [since, orgs],
      );
      const byOrganisation: { label: string | null; count: number }[] = await m.query(
        `select o.org_code as label, count(*)::int as count from audit_events e left join organisations o on o.id = e.organisation_id
         where e.occurred_at >= $1 and ($2::uuid[] is null or e.organisation_id = any($2::uuid[]))
           and e.category = 'inbound' and e.details->>'route' like '/v1/%' and e.error_code is not null
         group by 1 order by 2 desc, 1 limit ${TOP}`,
        [since, orgs],
      );
      const latency: { kind: string; operation: string; exchanges: number; p50: number; p95: number }[] = await m.query(
        `select coalesce(s.details->>'kind', '') as kind, coalesce(e.operation, '') as operation, count(*)::int as exchanges,
                percentile_cont(0.5) within group (order by (e.details->>'durationMs')::float) as p50,
                percentile_cont(0.95) within group (order by (e.details->>'durationMs')::float) as p95
         from audit_events e join audit_events s on s.id = e.related_event_id
         where e.category = 'exchange' and e.occurred_at >= $1 and ($2::uuid[] is null or e.organisation_id = any($2::uuid[]))
           and jsonb_typeof(e.details->'durationMs') = 'number'
         group by 1, 2 order by 1, 2`,
        [since, orgs],
      );
      const vendorReads: VendorRead[] = await m.query(
        `select vendor_id::text as "vendorId", coalesce(array_agg(distinct organisation_id::text)
                  filter (where organisation_id is not null), '{}') as "organisationIds", count(*)::int as events
         from audit_events where ${inScope} and vendor_id is not null and (${api} or category = 'exchange')
         group by vendor_id order by vendor_id`,
        [since, orgs],
      );
      const counted = new Map(hourly.map((h) => [new Date(h.hour).getTime(), h]));
      const hours: HourCount[] = Array.from({ length: HOURS }, (_, i) => {
        const at = since.getTime() + i * 3_600_000;
        const row = counted.get(at);
        return { hour: new Date(at).toISOString(), calls: row?.calls ?? 0, errors: row?.errors ?? 0 };
      });
      return {
        since: since.toISOString(),
        hours,
        errorsByCode: byCode,
        errorsByOrganisation: byOrganisation.map((o) => ({ label: o.label ?? '(no organisation)', count: o.count })),
        latency: latency.map((l) => ({ ...l, p50: Math.round(Number(l.p50)), p95: Math.round(Number(l.p95)) })),
        vendorReads,
      };
    });
  }
}
