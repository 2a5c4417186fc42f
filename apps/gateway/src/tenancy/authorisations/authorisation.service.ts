import { Injectable } from '@nestjs/common';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { OrganisationService } from '../organisations/organisation.service';
import { AuthorisationRepository } from './authorisation.repository';
import { Authorisation, AuthorisationAction, CreateAuthorisationInput } from './authorisation.types';

@Injectable()
export class AuthorisationService {
  constructor(
    private readonly repository: AuthorisationRepository,
    private readonly organisations: OrganisationService,
  ) {}

  async create(vendorId: VendorId, principal: Principal, orgCode: string, input: CreateAuthorisationInput): Promise<Authorisation> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    return this.repository.create(vendorId, organisation.id, input);
  }

  async list(vendorId: VendorId, principal: Principal, orgCode: string, page: PageQuery): Promise<Page<Authorisation>> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    return toPage(await this.repository.list(vendorId, organisation.id, page.limit + 1, after), page.limit);
  }

  /** Regenerating the software ID puts the authorisation back to `pending` until it is re-tested. */
  async apply(
    vendorId: VendorId,
    principal: Principal,
    orgCode: string,
    id: string,
    action: AuthorisationAction,
  ): Promise<Authorisation> {
    const organisation = await this.organisations.get(vendorId, principal, orgCode);
    const current = await this.repository.find(vendorId, organisation.id, id);
    if (!current) throw new NotFoundError('authorisation');
    const updated = await this.repository.transition(vendorId, id, action);
    if (!updated) {
      throw new AppError('authorisation.invalid_transition', `Cannot ${action} an authorisation that is ${current.status}`, {
        status: current.status,
      });
    }
    return updated;
  }
}
