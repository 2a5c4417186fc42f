import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';

export interface ActivityDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  calls: number;
  errors: number;
}

export interface RecentCall {
  occurredAt: Date;
  operation: string;
  httpStatus: number | null;
  errorCode: string | null;
  /** Never the USI itself: the audit trail stores only its masked form. */
  usiMasked: string | null;
  requestId: string | null;
}

/**
 * A provider's own calls through its vendor, from the audit trail's inbound events (one per API request made for
 * the organisation). The connection tests are left out: they are the provider's set-up, not its traffic.
 */
@Injectable()
export class ProviderActivityRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Every one of the last `days` days (UTC), zero-filled, oldest first. */
  byDay(vendorId: VendorId, organisationId: string, days = 30): Promise<ActivityDay[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `with span as (
           select generate_series((now() at time zone 'utc')::date - ($3::int - 1), (now() at time zone 'utc')::date, interval '1 day')::date as day)
         select to_char(s.day, 'YYYY-MM-DD') as day,
                count(e.id)::int as calls,
                (count(e.id) filter (where e.http_status >= 400))::int as errors
           from span s
           left join audit_events e
             on e.vendor_id = $1 and e.organisation_id = $2 and e.category = 'inbound' and e.operation is not null
            and e.operation <> 'ConnectionTest'
            and e.occurred_at >= s.day::timestamp at time zone 'utc' and e.occurred_at < (s.day + 1)::timestamp at time zone 'utc'
          group by s.day order by s.day`,
        [vendorId, organisationId, days],
      ),
    );
  }

  recent(vendorId: VendorId, organisationId: string, limit = 20): Promise<RecentCall[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select occurred_at as "occurredAt", operation, http_status as "httpStatus", error_code as "errorCode",
                usi_masked as "usiMasked", request_id as "requestId"
           from audit_events
          where vendor_id = $1 and organisation_id = $2 and category = 'inbound' and operation is not null and operation <> 'ConnectionTest'
            and occurred_at > now() - interval '30 days'
          order by occurred_at desc, id limit $3`,
        [vendorId, organisationId, limit],
      ),
    );
  }
}
