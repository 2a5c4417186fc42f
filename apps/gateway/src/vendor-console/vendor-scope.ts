import { effectiveRoles, enforce, routeDecision } from '../common/authorization/access-policy';
import { AppError } from '../common/errors/app-error';
import { Principal, UserRole } from '../common/request-context/principal';
import { asVendorId, VendorId } from '../database/vendor-id';

/** Who reads the vendor console, and who acts in it. */
export const VENDOR_READERS: readonly UserRole[] = ['vendor_admin', 'vendor_developer'];
export const VENDOR_ACTORS: readonly UserRole[] = ['vendor_admin'];

/**
 * The vendor a console user works for, after the access policy's check of its role (rule 1) and, for actions,
 * that it acts for the whole vendor (rule 2). The vendor always comes from the principal, never from a URL or form.
 */
export function vendorScope(p: Principal, roles: readonly UserRole[] = VENDOR_READERS, vendorWide = false): VendorId {
  enforce(routeDecision(p, { roles, vendorWide }));
  if (!p.vendorId) throw new AppError('auth.forbidden_scope', 'This account works for no vendor');
  return asVendorId(p.vendorId);
}

/** Whether the principal may act (not only read) in the console. */
export const canActForVendor = (p: Principal): boolean => effectiveRoles(p).some((r) => VENDOR_ACTORS.includes(r));

/** The signed-in account's id (`user:<id>`). */
export function userIdOf(p: Principal): string {
  if (p.kind !== 'user' || !p.actorId.startsWith('user:')) throw new AppError('auth.forbidden_scope', 'Only a signed-in account can do this');
  return p.actorId.slice('user:'.length);
}
