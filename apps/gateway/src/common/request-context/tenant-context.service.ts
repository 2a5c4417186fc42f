import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { AppError } from '../errors/app-error';
import type { VendorId } from '../../database/vendor-id';
import type { Principal } from './principal';

const PRINCIPAL = 'principal';

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
