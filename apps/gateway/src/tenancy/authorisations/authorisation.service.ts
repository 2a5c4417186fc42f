import { Injectable } from '@nestjs/common';
import { SecurityEvents } from '../../common/security-events/security-events';
import { WebhookEvents, WebhookEventType } from '../../common/webhook-events/webhook-events';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { OrganisationService } from '../organisations/organisation.service';
import { AuthorisationRepository } from './authorisation.repository';
import {
  ActivateAuthorisationInput,
  Authorisation,
  AuthorisationAction,
  ConnectionTestAttempt,
  CreateAuthorisationInput,
  TRANSITIONS,
} from './authorisation.types';

/** The manual transitions vendors are told about (a regenerated software ID is only audited). */
const WEBHOOK_EVENTS: Partial<Record<AuthorisationAction, WebhookEventType>> = {
  activate: 'authorisation.activated',
  revoke: 'authorisation.revoked',
};

@Injectable()
export class AuthorisationService {
  constructor(
    private readonly repository: AuthorisationRepository,
    private readonly organisations: OrganisationService,
    private readonly audit: SecurityEvents,
    private readonly webhooks: WebhookEvents,
  ) {}

  async create(vendorId: VendorId, principal: Principal, orgCode: string, input: CreateAuthorisationInput): Promise<Authorisation> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const created = await this.repository.create(vendorId, organisation.id, input);
    await this.audit.recordSecurityEvent({
      type: 'authorisation.created',
      vendorId,
      organisationId: organisation.id,
      actor: principal,
      details: { authorisationId: created.id, status: created.status },
    });
    return created;
  }

  async list(vendorId: VendorId, principal: Principal, orgCode: string, page: PageQuery): Promise<Page<Authorisation>> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    return toPage(await this.repository.list(vendorId, organisation.id, page.limit + 1, after), page.limit);
  }

  /**
   * Regenerating the software ID puts the authorisation back to `pending` until it is re-tested. Activating needs a
   * passing connection test with the current software ID, unless `activation.force` (with its reason, audited).
   */
  async apply(
    vendorId: VendorId,
    principal: Principal,
    orgCode: string,
    id: string,
    action: AuthorisationAction,
    activation: ActivateAuthorisationInput = {},
  ): Promise<Authorisation> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const current = await this.repository.find(vendorId, organisation.id, id);
    if (!current) throw new NotFoundError('authorisation');
    const forced = action === 'activate' && !!activation.force;
    const updated = await this.repository.transition(vendorId, id, action, action === 'activate' && !forced);
    if (!updated) {
      const allowedFrom: readonly string[] = TRANSITIONS[action].from;
      if (action === 'activate' && allowedFrom.includes(current.status)) {
        throw new AppError(
          'authorisation.untested',
          'The last connection test of this authorisation failed or never ran: run the connection test (it activates the authorisation when it passes), or force the activation with a reason',
          { status: current.status, lastTestedAt: current.lastTestedAt },
        );
      }
      throw new AppError('authorisation.invalid_transition', `Cannot ${action} an authorisation that is ${current.status}`, {
        status: current.status,
      });
    }
    // `authorisation.regenerate` is the software ID regeneration the audit trail must show.
    await this.audit.recordSecurityEvent({
      type: `authorisation.${action}`,
      vendorId,
      organisationId: organisation.id,
      actor: principal,
      details: {
        authorisationId: id,
        from: current.status,
        to: updated.status,
        ...(forced ? { forced: true, reason: activation.reason } : {}),
      },
    });
    const event = WEBHOOK_EVENTS[action];
    if (event) {
      await this.webhooks.emit(vendorId, event, {
        authorisationId: id,
        organisationId: organisation.id,
        orgCode: organisation.orgCode,
        status: updated.status,
      });
    }
    return updated;
  }

  /** The authorisation's connection tests, newest first. */
  async attempts(vendorId: VendorId, principal: Principal, orgCode: string, id: string): Promise<ConnectionTestAttempt[]> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    if (!(await this.repository.find(vendorId, organisation.id, id))) throw new NotFoundError('authorisation');
    return this.repository.attempts(vendorId, id);
  }
}
