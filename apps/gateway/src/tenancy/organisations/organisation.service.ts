import { Injectable } from '@nestjs/common';
import { organisationRestriction, reachesOrganisation } from '../../common/authorization/access-policy';
import { SecurityEvents } from '../../common/security-events/security-events';
import { NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { OrganisationRepository } from './organisation.repository';
import { CreateOrganisationInput, Organisation, UpdateOrganisationInput } from './organisation.types';

/**
 * Organisations of the caller's vendor. An API key restricted to some organisations sees only those; the
 * others answer 404 exactly like another vendor's.
 */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly repository: OrganisationRepository,
    private readonly audit: SecurityEvents,
  ) {}

  create(vendorId: VendorId, input: CreateOrganisationInput): Promise<Organisation> {
    return this.repository.create(vendorId, input);
  }

  async list(vendorId: VendorId, principal: Principal, page: PageQuery): Promise<Page<Organisation>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const rows = await this.repository.list(vendorId, page.limit + 1, after, organisationRestriction(principal));
    return toPage(rows, page.limit);
  }

  async get(vendorId: VendorId, principal: Principal, orgCode: string): Promise<Organisation> {
    const organisation = await this.repository.findByCode(vendorId, orgCode);
    if (!organisation || !reachesOrganisation(principal, organisation.id)) {
      throw new NotFoundError('organisation');
    }
    return organisation;
  }

  async update(
    vendorId: VendorId,
    principal: Principal,
    orgCode: string,
    patch: UpdateOrganisationInput,
  ): Promise<Organisation> {
    const { id } = await this.get(vendorId, principal, orgCode);
    // A mode switch changes which credential signs every call for the organisation: audited with the change.
    const updated = await this.repository.update(vendorId, id, patch, (m, change) =>
      this.audit.recordSecurityEvent(
        { type: 'organisation.connection_mode_changed', vendorId, organisationId: id, actor: principal, details: { orgCode, ...change } },
        m,
      ),
    );
    if (!updated) throw new NotFoundError('organisation');
    return updated;
  }

  async delete(vendorId: VendorId, principal: Principal, orgCode: string): Promise<void> {
    const { id } = await this.get(vendorId, principal, orgCode);
    if (!(await this.repository.delete(vendorId, id))) throw new NotFoundError('organisation');
  }
}
