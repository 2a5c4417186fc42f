import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { SecurityEvents } from '../../common/security-events/security-events';
import { asVendorId } from '../../database/vendor-id';
import { EmailOutbox } from '../../notifications/email-outbox';
import { fieldError, parseForm } from '../parse-form';
import { invitationRequestEmail } from '../provider-emails';
import { accountIdOf } from '../provider-principal';
import { ProviderAccountRepository } from '../signup/provider-account.repository';
import { ProviderOrganisationRepository } from './provider-organisation.repository';
import { registerOrganisationSchema, VendorChoice } from './provider-organisation.types';

export interface Prefill {
  vendor?: VendorChoice;
  orgCode?: string;
}

/**
 * A verified provider account registers its organisation under the SMS vendor it uses. Org codes are unique per
 * vendor: a code the vendor already has is refused without saying anything about that organisation, and the
 * provider may ask its administrators for an invitation (they get an email; the asker learns nothing more).
 * The same code under another vendor is a separate record; only the RAM connection test proves the link.
 */
@Injectable()
export class ProviderOrganisationService {
  constructor(
    private readonly repository: ProviderOrganisationRepository,
    private readonly accounts: ProviderAccountRepository,
    private readonly outbox: EmailOutbox,
    private readonly audit: SecurityEvents,
  ) {}

  vendors(): Promise<VendorChoice[]> {
    return this.repository.vendors();
  }

  /**
   * A vendor's invitation link (`?vendor=<id>&orgCode=…`) only pre-fills the form: it grants nothing, since any
   * provider may choose any vendor, so it carries no secret. Unknown values are ignored.
   */
  async prefill(query: { vendor?: unknown; orgCode?: unknown }): Promise<Prefill> {
    const vendorId = typeof query.vendor === 'string' && /^[0-9a-f-]{36}$/i.test(query.vendor) ? query.vendor : undefined;
    const vendor = vendorId ? await this.repository.activeVendor(vendorId) : undefined;
    const orgCode = typeof query.orgCode === 'string' && /^[A-Za-z0-9]{1,8}$/.test(query.orgCode) ? query.orgCode.toUpperCase() : undefined;
    return { ...(vendor ? { vendor } : {}), ...(orgCode ? { orgCode } : {}) };
  }

  async register(principal: Principal, input: unknown): Promise<{ organisationId: string; vendorId: string; softwareId: string }> {
    const accountId = accountIdOf(principal);
    const form = parseForm(registerOrganisationSchema, input);
    const vendor = await this.repository.activeVendor(form.vendorId);
    if (!vendor) throw fieldError('vendorId', 'unknown', 'Choose your SMS vendor from the list');
    const result = await this.repository.register(accountId, form);
    if (!result.ok && result.reason === 'org_code_taken') {
      throw fieldError(
        'orgCode',
        'org_code_taken',
        `Organisation ${form.orgCode} is already registered with ${vendor.name}. Ask its administrators to invite you.`,
      );
    }
    if (!result.ok) throw new AppError('provider.already_registered', 'Your account already has an organisation');
    await this.audit.recordSecurityEvent({
      type: 'organisation.registered_by_provider',
      vendorId: asVendorId(vendor.id),
      organisationId: result.organisationId,
      details: { userId: accountId, orgCode: form.orgCode, authorisationId: result.authorisationId },
    });
    return { organisationId: result.organisationId, vendorId: vendor.id, softwareId: result.softwareId };
  }

  /** Always answers the same, whether or not the organisation or any administrator exists. */
  async requestInvitation(principal: Principal, input: { vendorId?: unknown; orgCode?: unknown }): Promise<void> {
    const account = await this.accounts.find(accountIdOf(principal));
    const vendor = typeof input.vendorId === 'string' && /^[0-9a-f-]{36}$/i.test(input.vendorId) ? await this.repository.activeVendor(input.vendorId) : undefined;
    const orgCode = typeof input.orgCode === 'string' && /^[A-Za-z0-9]{1,8}$/.test(input.orgCode) ? input.orgCode : undefined;
    if (!account || !vendor || !orgCode) return;
    const vendorId = asVendorId(vendor.id);
    for (const to of await this.repository.adminsOf(vendorId, orgCode)) {
      await this.outbox.enqueue(invitationRequestEmail(to, { name: account.name ?? account.email, email: account.email }, orgCode.toUpperCase(), vendor.id));
    }
    await this.audit.recordSecurityEvent({ type: 'provider.invitation_requested', vendorId, details: { userId: account.id, orgCode } });
  }
}
