import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { Authorisation } from '../../tenancy/authorisations/authorisation.types';

/** What a provider's pages show about its link to the vendor: the organisation, the vendor and the newest authorisation. */
export interface ProviderLink {
  organisation: { id: string; orgCode: string; abn: string; legalName: string; kind: string };
  vendor: { id: string; name: string; abn: string };
  authorisation: Authorisation | null;
  /** A test passed before under another software ID (so a missing notification probably names the old one). */
  passedWithOtherSoftwareId: boolean;
}

@Injectable()
export class ProviderLinkRepository {
  constructor(private readonly tx: TenantTransaction) {}

  find(vendorId: VendorId, organisationId: string): Promise<ProviderLink | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row] = await m.query(
        `select json_build_object('id', o.id, 'orgCode', o.org_code, 'abn', o.abn, 'legalName', o.legal_name, 'kind', o.kind) as organisation,
                json_build_object('id', v.id, 'name', v.name, 'abn', v.abn) as vendor,
                (select json_build_object('id', a.id, 'organisationId', a.organisation_id, 'softwareId', a.software_id,
                        'startDate', a.start_date::text, 'endDate', a.end_date::text, 'status', a.status,
                        'lastTestedAt', a.last_tested_at, 'lastTestResult', a.last_test_result,
                        'softwareIdRegeneratedAt', a.software_id_regenerated_at, 'createdAt', a.created_at, 'updatedAt', a.updated_at)
                   from authorisations a where a.vendor_id = o.vendor_id and a.organisation_id = o.id
                  order by a.created_at desc, a.id limit 1) as authorisation
           from organisations o join vendors v on v.id = o.vendor_id
          where o.vendor_id = $1 and o.id = $2`,
        [vendorId, organisationId],
      );
      if (!row) return undefined;
      const authorisation = row.authorisation as Authorisation | null;
      let passedWithOtherSoftwareId = false;
      if (authorisation) {
        const [other] = await m.query(
          `select 1 from connection_test_attempts where vendor_id = $1 and authorisation_id = $2 and ok and software_id <> $3 limit 1`,
          [vendorId, authorisation.id, authorisation.softwareId],
        );
        passedWithOtherSoftwareId = !!other;
      }
      return { organisation: row.organisation, vendor: row.vendor, authorisation, passedWithOtherSoftwareId };
    });
  }
}
