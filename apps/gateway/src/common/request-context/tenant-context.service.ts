import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { AppError } from '../errors/app-error';
import type { VendorId } from '../../database/vendor-id';
import type { Principal } from './principal';

const PRINCIPAL = 'principal';
const AUDIT_FIELDS = 'audit_fields';

/** What a route learns about a request that the inbound audit event records (set by the USI controllers). */
export interface RequestAuditFields {
  operation?: string;
  organisationId?: string;
  /** Stored only as an HMAC and a masked form. */
  usi?: string;
  recordCount?: number;
}

/**
 * The per-request tenant context (CLS): request id and authenticated principal, reachable from any service
 * without threading them through every call.
 */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  setPrincipal(principal: Principal): void {
    this.cls.set(PRINCIPAL, principal);
  }

  get principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get<Principal>(PRINCIPAL) : undefined;
  }

  /** Merges into the fields already set for this request; a no-op outside a request. */
  setAuditFields(fields: RequestAuditFields): void {
    if (!this.cls.isActive()) return;
    this.cls.set(AUDIT_FIELDS, { ...this.auditFields, ...fields });
  }

  get auditFields(): RequestAuditFields {
    return (this.cls.isActive() ? this.cls.get<RequestAuditFields>(AUDIT_FIELDS) : undefined) ?? {};
  }

  requirePrincipal(): Principal {
    const p = this.principal;
    if (!p) throw new AppError('auth.unauthenticated', 'Authentication required');
    return p;
  }

  /** The caller's tenant; platform staff have none and must use a platform route. */
  requireVendorId(): VendorId {
    const p = this.requirePrincipal();
    if (!p.vendorId) throw new AppError('auth.forbidden_scope', 'This route needs a vendor account');
    return p.vendorId;
  }
}
