import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/request-context/principal';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { VendorId } from '../../database/vendor-id';
import { OrganisationAccess, UsiTarget } from '../access/organisation-access.service';

export interface UsiAuditHints {
  operation: string;
  usi?: string;
  recordCount?: number;
}

/**
 * The first step of every USI route: names the operation for the inbound audit event (so even a refused request
 * is attributed), then resolves the organisation and its authorisation.
 */
@Injectable()
export class UsiRequestScope {
  constructor(
    private readonly access: OrganisationAccess,
    private readonly context: TenantContext,
  ) {}

  async active(principal: Principal, vendorId: VendorId, orgCode: string, hints: UsiAuditHints): Promise<UsiTarget> {
    this.context.setAuditFields(hints);
    const target = await this.access.requireActive(principal, vendorId, orgCode);
    this.context.setAuditFields({ organisationId: target.organisation.id });
    return target;
  }

  async testable(principal: Principal, vendorId: VendorId, orgCode: string, hints: UsiAuditHints): Promise<UsiTarget> {
    this.context.setAuditFields(hints);
    const target = await this.access.requireTestable(principal, vendorId, orgCode);
    this.context.setAuditFields({ organisationId: target.organisation.id });
    return target;
  }
}
