import { Inject, Injectable } from '@nestjs/common';
import { reachesOrganisation } from '../../common/authorization/access-policy';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { VendorId } from '../../database/vendor-id';
import { Authorisation } from '../../tenancy/authorisations/authorisation.types';
import { CacheInvalidation } from '../../common/cache/cache-invalidation.service';
import { CoherentCache } from '../../common/cache/coherent-cache';
import { Organisation } from '../../tenancy/organisations/organisation.types';
import { OrganisationAccessRecord, OrganisationAccessRepository } from './organisation-access.repository';
import { ramGuidance } from '../../upstream/ram-guidance';

/**
 * Everything a USI call on behalf of an organisation needs: who acts (vendor), for whom, under which software ID.
 * In direct mode (`organisation.connectionMode`) the organisation signs with its own credential and no ActAs, so no
 * authorisation is needed: `authorisation` is then the one in force if any, else null.
 */
export interface UsiTarget {
  vendorId: VendorId;
  vendorAbn: string;
  organisation: Organisation;
  authorisation: Authorisation | null;
}

type Choose = (list: Authorisation[], today: string) => Authorisation | undefined;

const activeInDates: Choose = (list, today) => list.find((a) => a.status === 'active' && inDates(a, today));

/**
 * Resolves `orgCode` for the calling vendor. Unknown, another vendor's and (for a restricted key) an unlisted
 * organisation all answer 404 alike; a known organisation without an authorisation in force answers 403 with the
 * RAM steps that would fix it.
 *
 * USI calls read through a cache per (vendor, orgCode) holding only organisations with an active authorisation;
 * the choice of authorisation (dates included) and the key's organisation restriction are applied on every use.
 */
@Injectable()
export class OrganisationAccess {
  private readonly cache: CoherentCache<string, OrganisationAccessRecord>;

  constructor(
    private readonly repository: OrganisationAccessRepository,
    invalidation: CacheInvalidation,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new CoherentCache(invalidation, {
      ...config.accessCache,
      affects: (event, record) =>
        (event.kind === 'organisation' && record.organisation.id === event.id) ||
        (event.kind === 'vendor' && record.vendorId === event.id),
    });
  }

  /** For USI calls: the authorisation must be active and within its dates. */
  async requireActive(principal: Principal, vendorId: VendorId, orgCode: string, today = isoToday()): Promise<UsiTarget> {
    return resolve(principal, await this.cached(vendorId, orgCode), activeInDates, today);
  }

  /**
   * For a background job's calls: its caller was authorised when the job was accepted; the organisation's
   * authorisation must still be in force at each call. Through the same cache as interactive calls: every instance,
   * workers included, listens for the change notifications that drop an entry (a revoked or ended authorisation), and
   * reads the database while it is not listening; a 500-row batch no longer waits for a read of its own.
   */
  async requireActiveForJob(vendorId: VendorId, orgCode: string, today = isoToday()): Promise<UsiTarget> {
    return resolve(null, await this.cached(vendorId, orgCode), activeInDates, today);
  }

  /**
   * For the connection test: an active authorisation, else the newest pending one it could activate. Read fresh:
   * the test exists to change the authorisation's status.
   */
  async requireTestable(principal: Principal, vendorId: VendorId, orgCode: string, today = isoToday()): Promise<UsiTarget> {
    const record = await this.repository.find(vendorId, orgCode);
    return resolve(
      principal,
      record,
      (list) => activeInDates(list, today) ?? [...list].reverse().find((a) => a.status === 'pending' && inDates(a, today)),
      today,
    );
  }

  /** Organisations that can be called (an active authorisation, or direct mode) are cached; others are read each time. */
  private cached(vendorId: VendorId, orgCode: string): Promise<OrganisationAccessRecord | undefined> {
    return this.cache.getOrLoad(
      `${vendorId}:${orgCode.toLowerCase()}`,
      () => this.repository.find(vendorId, orgCode),
      (r) => r.organisation.connectionMode === 'direct' || r.authorisations.some((a) => a.status === 'active'),
    );
  }
}

/** `principal` null: no caller to check (a background job whose caller was checked when it was accepted). */
function resolve(principal: Principal | null, record: OrganisationAccessRecord | undefined, pick: Choose, today: string): UsiTarget {
  if (!record || (principal && !reachesOrganisation(principal, record.organisation.id))) {
    throw new NotFoundError('organisation');
  }
  const { vendorId, vendorAbn, organisation, authorisations } = record;
  const authorisation = pick(authorisations, today) ?? null;
  // Direct mode needs no RAM notification: the organisation's own credential speaks for it.
  if (!authorisation && organisation.connectionMode !== 'direct') throw notActive(record, today);
  return { vendorId, vendorAbn, organisation, authorisation };
}

function notActive({ vendorAbn, organisation, authorisations }: OrganisationAccessRecord, today: string): AppError {
  const latest = authorisations.at(-1);
  const softwareId = latest?.softwareId ?? null;
  return new AppError('authorisation.not_active', 'The organisation has no active authorisation for this vendor', undefined, undefined, {
    authorisationStatus: latest ? effectiveStatus(latest, today) : 'none',
    guidance: softwareId
      ? ramGuidance({ orgCode: organisation.orgCode, vendorAbn, softwareId })
      : {
          vendorAbn,
          softwareId: null,
          steps: [`Create an authorisation first: POST /v1/organisations/${organisation.orgCode}/authorisations.`],
        },
  });
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
