import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { Authorisation } from '../../tenancy/authorisations/authorisation.types';
import { Organisation } from '../../tenancy/organisations/organisation.types';

/** An organisation as the USI path needs it: with its vendor's ABN and its authorisations, oldest first. */
export interface OrganisationAccessRecord {
  vendorId: VendorId;
  vendorAbn: string;
  organisation: Organisation;
  authorisations: Authorisation[];
}

/** An organisation has few authorisations over its life; this bounds the lookup all the same. */
const MAX_AUTHORISATIONS = 100;

const ORGANISATION = {
  id: 'o_id',
  orgCode: 'o_org_code',
  abn: 'o_abn',
  legalName: 'o_legal_name',
  kind: 'o_kind',
  contactName: 'o_contact_name',
  contactEmail: 'o_contact_email',
  contactPhone: 'o_contact_phone',
  status: 'o_status',
  connectionMode: 'o_connection_mode',
  createdAt: 'o_created_at',
  updatedAt: 'o_updated_at',
} as const;

const AUTHORISATION = {
  id: 'a_id',
  organisationId: 'a_organisation_id',
  softwareId: 'a_software_id',
  startDate: 'a_start_date',
  endDate: 'a_end_date',
  status: 'a_status',
  lastTestedAt: 'a_last_tested_at',
  lastTestResult: 'a_last_test_result',
  softwareIdRegeneratedAt: 'a_software_id_regenerated_at',
  createdAt: 'a_created_at',
  updatedAt: 'a_updated_at',
} as const;

type Row = Record<string, unknown> & { vendor_abn: string; a_id: string | null };

/**
 * One statement in one tenant transaction: organisation ⋈ vendor, left-joined to its authorisations (a row each, or
 * one row with null authorisation columns).
 */
@Injectable()
export class OrganisationAccessRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async find(vendorId: VendorId, orgCode: string): Promise<OrganisationAccessRecord | undefined> {
    const rows: Row[] = await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select v.abn as vendor_abn,
           o.id as o_id, o.org_code as o_org_code, o.abn as o_abn, o.legal_name as o_legal_name, o.kind as o_kind,
           o.contact_name as o_contact_name, o.contact_email as o_contact_email, o.contact_phone as o_contact_phone,
           o.status as o_status, o.connection_mode as o_connection_mode, o.created_at as o_created_at, o.updated_at as o_updated_at,
           a.id as a_id, a.organisation_id as a_organisation_id, a.software_id as a_software_id,
           a.start_date::text as a_start_date, a.end_date::text as a_end_date, a.status as a_status,
           a.last_tested_at as a_last_tested_at, a.last_test_result as a_last_test_result,
           a.software_id_regenerated_at as a_software_id_regenerated_at, a.created_at as a_created_at,
           a.updated_at as a_updated_at
         from organisations o
         join vendors v on v.id = o.vendor_id
         left join lateral (
           select * from authorisations x
           where x.vendor_id = o.vendor_id and x.organisation_id = o.id
           order by x.created_at, x.id limit ${MAX_AUTHORISATIONS}
         ) a on true
         where o.vendor_id = $1 and lower(o.org_code) = lower($2)
         order by a.created_at, a.id`,
        [vendorId, orgCode],
      ),
    );
    if (!rows.length) return undefined;
    return {
      vendorId,
      vendorAbn: rows[0].vendor_abn,
      organisation: pick<Organisation>(rows[0], ORGANISATION),
      authorisations: rows.filter((r) => r.a_id !== null).map((r) => pick<Authorisation>(r, AUTHORISATION)),
    };
  }
}

function pick<T>(row: Record<string, unknown>, columns: Record<keyof T, string>): T {
  return Object.fromEntries(Object.entries<string>(columns).map(([field, column]) => [field, row[column]])) as T;
}
