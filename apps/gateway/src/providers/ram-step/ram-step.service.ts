import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { SecurityEvents } from '../../common/security-events/security-events';
import { OrganisationAccess } from '../../usi/access/organisation-access.service';
import { ConnectionTestService } from '../../usi/connection-test/connection-test.service';
import { AuthorisationRepository } from '../../tenancy/authorisations/authorisation.repository';
import { AuthorisationService } from '../../tenancy/authorisations/authorisation.service';
import { ConnectionTestAttempt } from '../../tenancy/authorisations/authorisation.types';
import { providerScope } from '../provider-principal';
import { plainReason, PlainReason } from './connection-reasons';
import { ProviderLink, ProviderLinkRepository } from './provider-link.repository';
import { SimulatedRamClient } from './simulated-ram.client';

/** Who may add the notification in RAM, where, and what to enter: shown word for word on the RAM step page. */
export function ramSteps(link: { vendorName: string; vendorAbn: string; softwareId: string }): string[] {
  return [
    "Sign in to Relationship Authorisation Manager (RAM, info.authorisationmanager.gov.au) as your organisation's principal authority or an authorisation administrator: only they can add a cloud software notification.",
    "Choose your organisation's ABN, then open 'Manage software notifications' and select 'Add a notification' (cloud software / hosted service).",
    `Search for the software provider by its ABN ${link.vendorAbn} and check the name shown is ${link.vendorName}.`,
    `Enter the software ID ${link.softwareId} exactly (10 digits) and a start date of today: RAM does not accept a date in the past.`,
    "Save the notification, then come back here and choose 'I have added it'.",
  ];
}

export interface AttemptView extends ConnectionTestAttempt {
  reason: PlainReason | null;
}

export interface RamStepView extends ProviderLink {
  steps: string[];
  attempts: AttemptView[];
  /** Only with the simulator (USI_ENV=sim): never with 3PT or production. */
  simulatedRamOffered: boolean;
}

export interface RamTestOutcome {
  ok: boolean;
  status: string;
  reason: PlainReason | null;
}

/**
 * The RAM step of a provider's onboarding: what to add in RAM, the connection test in plain words ("I have added
 * it"), the attempts so far, and in the demo a shortcut through the simulator's admin API. Every method works on the
 * caller's own organisation only (providerScope); nothing takes an organisation from the request.
 */
@Injectable()
export class RamStepService {
  constructor(
    private readonly links: ProviderLinkRepository,
    private readonly authorisations: AuthorisationRepository,
    private readonly authorisationService: AuthorisationService,
    private readonly access: OrganisationAccess,
    private readonly tests: ConnectionTestService,
    private readonly simulator: SimulatedRamClient,
    private readonly audit: SecurityEvents,
  ) {}

  async view(principal: Principal): Promise<RamStepView> {
    const link = await this.link(principal);
    const attempts = link.authorisation ? await this.authorisations.attempts(link.organisationVendorId, link.authorisation.id) : [];
    return {
      organisation: link.organisation,
      vendor: link.vendor,
      authorisation: link.authorisation,
      passedWithOtherSoftwareId: link.passedWithOtherSoftwareId,
      steps: link.authorisation ? ramSteps({ vendorName: link.vendor.name, vendorAbn: link.vendor.abn, softwareId: link.authorisation.softwareId }) : [],
      attempts: attempts.map((a) => ({
        ...a,
        reason: a.ok ? null : plainReason(a.code, { message: a.detail ?? undefined, softwareIdChanged: a.softwareId !== link.authorisation?.softwareId || link.passedWithOtherSoftwareId }),
      })),
      simulatedRamOffered: this.simulator.available,
    };
  }

  /** "I have added it": the connection test, which activates the authorisation when it passes. */
  async test(principal: Principal): Promise<RamTestOutcome> {
    const link = await this.link(principal, ['provider_admin']);
    const target = await this.access.requireTestable(principal, link.organisationVendorId, link.organisation.orgCode).catch((err: unknown) => {
      // No authorisation that could be tested (revoked, or not yet started): say so rather than a bare 403.
      if (err instanceof AppError && err.code === 'authorisation.not_active') {
        throw new AppError('authorisation.invalid_transition', 'There is no pending or active authorisation to test: regenerate the software ID or ask your vendor');
      }
      throw err;
    });
    const result = await this.tests.run(target);
    return {
      ok: result.ok,
      status: result.status,
      reason: result.ok ? null : plainReason(result.detail?.code, { message: result.detail?.message, softwareIdChanged: link.passedWithOtherSoftwareId }),
    };
  }

  /** The demo's shortcut: registers the organisation and the notification in the simulator. Audited. */
  async addInSimulatedRam(principal: Principal): Promise<void> {
    const link = await this.link(principal, ['provider_admin']);
    if (!this.simulator.available) throw new AppError('provider.simulator_only', 'The simulated RAM exists only with the USI simulator');
    if (!link.authorisation) throw new NotFoundError('authorisation');
    await this.simulator.addNotification({
      orgCode: link.organisation.orgCode,
      providerAbn: link.organisation.abn,
      legalName: link.organisation.legalName,
      vendorAbn: link.vendor.abn,
      softwareId: link.authorisation.softwareId,
    });
    await this.audit.recordSecurityEvent({
      type: 'provider.simulated_ram_notification',
      vendorId: link.organisationVendorId,
      organisationId: link.organisation.id,
      actor: principal,
      details: { authorisationId: link.authorisation.id, softwareId: link.authorisation.softwareId },
    });
  }

  /** Regenerate the software ID or revoke: only with `confirm` (the page's confirmation), audited by the service. */
  async change(principal: Principal, action: 'regenerate' | 'revoke', input: { confirm?: unknown }): Promise<void> {
    const link = await this.link(principal, ['provider_admin']);
    if (input.confirm !== 'yes' && input.confirm !== true) {
      throw new AppError('provider.confirmation_required', action === 'revoke' ? 'Tick the box to confirm the revocation' : 'Tick the box to confirm the new software ID');
    }
    if (!link.authorisation) throw new NotFoundError('authorisation');
    await this.authorisationService.apply(link.organisationVendorId, principal, link.organisation.orgCode, link.authorisation.id, action);
  }

  private async link(principal: Principal, roles?: Parameters<typeof providerScope>[1]) {
    const scope = providerScope(principal, roles);
    const link = await this.links.find(scope.vendorId, scope.organisationId);
    if (!link) throw new NotFoundError('organisation');
    return { ...link, organisationVendorId: scope.vendorId };
  }
}
