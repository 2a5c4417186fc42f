import { effectiveRoles } from '../common/authorization/access-policy';
import { AppError } from '../common/errors/app-error';
import { Principal, UserRole } from '../common/request-context/principal';
import { asVendorId, VendorId } from '../database/vendor-id';

/** The signed-in provider account's id (`user:<id>`); API keys have none. */
export function accountIdOf(p: Principal): string {
  if (p.kind !== 'user' || !p.actorId.startsWith('user:')) throw new AppError('auth.forbidden_scope', 'Only a signed-in account can do this');
  return p.actorId.slice('user:'.length);
}

export interface ProviderScope {
  vendorId: VendorId;
  organisationId: string;
}

/**
 * The one organisation a provider account works in, and a check of its role there. A provider session is limited
 * to its organisation by the principal itself, so nothing here takes an organisation from a URL or a form.
 */
export function providerScope(p: Principal, roles: readonly UserRole[] = ['provider_admin', 'provider_viewer']): ProviderScope {
  const organisationId = p.organisationIds?.length === 1 ? p.organisationIds[0] : undefined;
  if (!p.vendorId || !organisationId) throw new AppError('provider.no_organisation', 'Register your organisation first');
  if (!effectiveRoles(p).some((r) => roles.includes(r))) {
    throw new AppError('auth.forbidden_scope', 'Your role in this organisation does not allow this', { requiredRoles: roles });
  }
  return { vendorId: asVendorId(p.vendorId), organisationId };
}
