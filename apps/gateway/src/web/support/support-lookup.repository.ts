import { Injectable } from '@nestjs/common';
import { AuditQueryRepository } from '../../audit/review/audit-query.repository';
import type { AuditScope } from '../../audit/review/audit-scope';

export interface VendorName {
  id: string;
  name: string;
}

export interface ProviderFound {
  organisationId: string;
  orgCode: string;
  abn: string;
  legalName: string;
  vendorId: string;
  vendorName: string;
  authorisations: {
    id: string;
    status: string;
    softwareId: string;
    startDate: string;
    endDate: string | null;
    tests: { testedAt: string; ok: boolean; code: string | null }[];
  }[];
}

const LIMIT = 50;
const TESTS_SHOWN = 3;

/**
 * Read-only lookups for the support console, within the caller's audit reach (the access policy's rule 4: staff
 * every vendor, `support` its own vendor, RLS enforcing it through the audit's own scoping).
 */
@Injectable()
export class SupportLookupRepository {
  constructor(private readonly audit: AuditQueryRepository) {}

  vendors(scope: AuditScope): Promise<VendorName[]> {
    return this.audit.inScope(scope, (m) => m.query(`select id, name from vendors order by name, id`));
  }

  /** Providers whose org code or ABN is `term` exactly, or whose legal name contains it; with their last tests. */
  async providers(scope: AuditScope, term: string): Promise<ProviderFound[]> {
    const restricted = scope.kind === 'vendor' ? scope.organisationIds : null;
    const digits = term.replace(/\s/g, '');
    return this.audit.inScope(scope, async (m) => {
      const rows: Omit<ProviderFound, 'authorisations'>[] = await m.query(
        `select o.id as "organisationId", o.org_code as "orgCode", o.abn, o.legal_name as "legalName",
                o.vendor_id as "vendorId", v.name as "vendorName"
         from organisations o join vendors v on v.id = o.vendor_id
         where (lower(o.org_code) = lower($1) or o.abn = $2 or o.legal_name ilike '%' || $3 || '%')
           and ($4::uuid[] is null or o.id = any($4::uuid[]))
         order by o.legal_name, v.name, o.id limit ${LIMIT}`,
        [term, digits, term.replace(/[\\%_]/g, (c) => `\\${c}`), restricted],
      );
      if (!rows.length) return [];
      const authorisations: (ProviderFound['authorisations'][number] & { organisationId: string })[] = await m.query(
        `select a.id, a.organisation_id as "organisationId", a.status, a.software_id as "softwareId",
                to_char(a.start_date, 'YYYY-MM-DD') as "startDate", to_char(a.end_date, 'YYYY-MM-DD') as "endDate",
                coalesce((select json_agg(t order by t."testedAt" desc) from (
                   select c.tested_at as "testedAt", c.ok, c.code from connection_test_attempts c
                   where c.authorisation_id = a.id order by c.tested_at desc limit ${TESTS_SHOWN}) t), '[]') as tests
         from authorisations a where a.organisation_id = any($1::uuid[]) order by a.created_at desc`,
        [rows.map((r) => r.organisationId)],
      );
      return rows.map((r) => ({ ...r, authorisations: authorisations.filter((a) => a.organisationId === r.organisationId) }));
    });
  }
}
