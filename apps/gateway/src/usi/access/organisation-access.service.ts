import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { AuthorisationRepository } from '../../tenancy/authorisations/authorisation.repository';
import { Authorisation } from '../../tenancy/authorisations/authorisation.types';
import { OrganisationService } from '../../tenancy/organisations/organisation.service';
import { Organisation } from '../../tenancy/organisations/organisation.types';
import { VendorService } from '../../tenancy/vendors/vendor.service';
import { ramGuidance } from './ram-guidance';

/** Everything a USI call on behalf of an organisation needs: who acts (vendor), for whom, under which software ID. */
export interface UsiTarget {
  vendorId: VendorId;
  vendorAbn: string;
  organisation: Organisation;
  authorisation: Authorisation;
}

/** An organisation has few authorisations over its life; this bounds the lookup all the same. */
const MAX_AUTHORISATIONS = 100;

/**
 * Resolves `orgCode` for the calling vendor. Unknown, another vendor's and (for a restricted key) an unlisted
 * organisation all answer 404 alike; a known organisation without an authorisation in force answers 403 with the
 * RAM steps that would fix it.
 */
@Injectable()
export class OrganisationAccess {
  constructor(
    private readonly organisations: OrganisationService,
    private readonly authorisations: AuthorisationRepository,
    private readonly vendors: VendorService,
  ) {}

  /** For USI calls: the authorisation must be active and within its dates. */
  requireActive(principal: Principal, vendorId: VendorId, orgCode: string, today = isoToday()): Promise<UsiTarget> {
    return this.resolve(principal, vendorId, orgCode, (list) => list.find((a) => a.status === 'active' && inDates(a, today)));
  }

  /** For the connection test: an active authorisation, else the newest pending one it could activate. */
  requireTestable(principal: Principal, vendorId: VendorId, orgCode: string, today = isoToday()): Promise<UsiTarget> {
    return this.resolve(
      principal,
      vendorId,
      orgCode,
      (list) =>
        list.find((a) => a.status === 'active' && inDates(a, today)) ??
        [...list].reverse().find((a) => a.status === 'pending' && inDates(a, today)),
    );
  }

  private async resolve(
    principal: Principal,
    vendorId: VendorId,
    orgCode: string,
    pick: (list: Authorisation[]) => Authorisation | undefined,
  ): Promise<UsiTarget> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const [vendor, list] = await Promise.all([
      this.vendors.get(vendorId),
      this.authorisations.list(vendorId, organisation.id, MAX_AUTHORISATIONS),
    ]);
    const authorisation = pick(list);
    if (!authorisation) {
      const latest = list.at(-1);
      const softwareId = latest?.softwareId ?? null;
      throw new AppError(
        'authorisation.not_active',
        'The organisation has no active authorisation for this vendor',
        undefined,
        undefined,
        {
          authorisationStatus: latest ? effectiveStatus(latest, isoToday()) : 'none',
          guidance: softwareId
            ? ramGuidance({ orgCode: organisation.orgCode, vendorAbn: vendor.abn, softwareId })
            : {
                vendorAbn: vendor.abn,
                softwareId: null,
                steps: [`Create an authorisation first: POST /v1/organisations/${organisation.orgCode}/authorisations.`],
              },
        },
      );
    }
    return { vendorId, vendorAbn: vendor.abn, organisation, authorisation };
  }
}

function inDates(a: Authorisation, today: string): boolean {
  return a.startDate <= today && (a.endDate === null || a.endDate >= today);
}

/** An active row past its end date is reported as expired, which is what it is. */
function effectiveStatus(a: Authorisation, today: string): string {
  if (a.status === 'active' && a.endDate !== null && a.endDate < today) return 'expired';
  if (a.status === 'active' && a.startDate > today) return 'not_started';
  return a.status;
}

function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}
