import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { Principal } from '../request-context/principal';
import { VendorId } from '../../database/vendor-id';

export type AuthenticatedRequest = { principal?: Principal };

function principalOf(ctx: ExecutionContext): Principal {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new AppError('auth.unauthenticated', 'Authentication required');
  return principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));

/** The caller's tenant. Platform staff have none, so vendor routes refuse them. */
export const CurrentVendorId = createParamDecorator((_: unknown, ctx: ExecutionContext): VendorId => {
  const principal = principalOf(ctx);
  if (!principal.vendorId) throw new AppError('auth.forbidden_scope', 'This route needs a vendor account');
  return principal.vendorId;
});
