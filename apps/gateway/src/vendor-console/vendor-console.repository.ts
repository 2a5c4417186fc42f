import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { VendorId } from '../database/vendor-id';

export interface CallDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  calls: number;
  errors: number;
}

export interface ProviderRow {
  id: string;
  orgCode: string;
  abn: string;
  legalName: string;
  /** The latest authorisation's status; null when the organisation has none yet. */
  authorisationStatus: string | null;
  softwareId: string | null;
  authorisationCreatedAt: Date | null;
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestCode: string | null;
  calls30d: number;
  errors30d: number;
}

export interface ProviderCall {
  occurredAt: Date;
  operation: string;
  httpStatus: number | null;
  errorCode: string | null;
  usiMasked: string | null;
  requestId: string | null;
}

/** Inbound calls: one audit event per API request; the providers' connection tests are set-up, not traffic. */
const CALLS = `e.category = 'inbound' and e.operation is not null and e.operation <> 'ConnectionTest'`;

/**
 * The vendor console's read queries, all in the vendor's tenant transaction (RLS): its providers with their
 * authorisation and last connection test, and its calls per day from the audit trail.
 */
@Injectable()
export class VendorConsoleRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Every one of the last `days` days (UTC), zero-filled, oldest first. */
  callsByDay(vendorId: VendorId, days: number): Promise<CallDay[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `with span as (
           select generate_series((now() at time zone 'utc')::date - ($2::int - 1), (now() at time zone 'utc')::date, interval '1 day')::date as day)
         select to_char(s.day, 'YYYY-MM-DD') as day, count(e.id)::int as calls,
                (count(e.id) filter (where e.http_status >= 400))::int as errors
           from span s
           left join audit_events e
             on e.vendor_id = $1 and ${CALLS}
            and e.occurred_at >= s.day::timestamp at time zone 'utc' and e.occurred_at < (s.day + 1)::timestamp at time zone 'utc'
          group by s.day order by s.day`,
        [vendorId, days],
      ),
    );
  }

  /** The vendor's organisations with their latest authorisation, last connection test and last 30 days' calls. */
  providers(vendorId: VendorId, orgCode?: string): Promise<ProviderRow[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select o.id, o.org_code as "orgCode", o.abn, o.legal_name as "legalName",
                a.status as "authorisationStatus", a.software_id as "softwareId", a.created_at as "authorisationCreatedAt",
                t.tested_at as "lastTestAt", t.ok as "lastTestOk", t.code as "lastTestCode",
                coalesce(c.calls, 0)::int as "calls30d", coalesce(c.errors, 0)::int as "errors30d"
           from organisations o
           left join lateral (select id, status, software_id, created_at from authorisations
                               where vendor_id = o.vendor_id and organisation_id = o.id order by created_at desc, id limit 1) a on true
           left join lateral (select tested_at, ok, code from connection_test_attempts
                               where vendor_id = o.vendor_id and authorisation_id = a.id order by tested_at desc limit 1) t on true
           left join lateral (select count(*) as calls, count(*) filter (where e.http_status >= 400) as errors from audit_events e
                               where e.vendor_id = o.vendor_id and e.organisation_id = o.id and ${CALLS}
                                 and e.occurred_at > now() - interval '30 days') c on true
          where o.vendor_id = $1 and ($2::text is null or lower(o.org_code) = lower($2))
          order by o.org_code`,
        [vendorId, orgCode ?? null],
      ),
    );
  }

  /** A provider's authorisations, newest first. */
  authorisations(vendorId: VendorId, organisationId: string): Promise<{ id: string; softwareId: string; status: string; startDate: string; endDate: string | null; createdAt: Date }[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select id, software_id as "softwareId", status, start_date::text as "startDate", end_date::text as "endDate", created_at as "createdAt"
           from authorisations where vendor_id = $1 and organisation_id = $2 order by created_at desc, id`,
        [vendorId, organisationId],
      ),
    );
  }

  /** A provider's last calls in 30 days (the USI only masked, as the audit trail stores it). */
  recentCalls(vendorId: VendorId, organisationId: string, limit = 20): Promise<ProviderCall[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select occurred_at as "occurredAt", operation, http_status as "httpStatus", error_code as "errorCode",
                usi_masked as "usiMasked", request_id as "requestId"
           from audit_events e
          where e.vendor_id = $1 and e.organisation_id = $2 and ${CALLS} and e.occurred_at > now() - interval '30 days'
          order by e.occurred_at desc, e.id limit $3`,
        [vendorId, organisationId, limit],
      ),
    );
  }

  /** Who each `user:<id>` actor is (their email), for "uploaded by" and "created by" columns; others stay as they are. */
  async actorLabels(vendorId: VendorId, actorIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(actorIds.filter((a) => /^user:[0-9a-f-]{36}$/i.test(a)).map((a) => a.slice(5)))];
    const rows: { id: string; email: string }[] = ids.length
      ? await this.tx.runInTenant(vendorId, (m) => m.query(`select id, email from users where vendor_id = $1 and id = any($2::uuid[])`, [vendorId, ids]))
      : [];
    const labels = new Map<string, string>(actorIds.map((a) => [a, a.startsWith('api_key:') ? 'an API key' : a.startsWith('user:') ? 'a former member' : a]));
    for (const r of rows) labels.set(`user:${r.id}`, r.email);
    return labels;
  }
}
