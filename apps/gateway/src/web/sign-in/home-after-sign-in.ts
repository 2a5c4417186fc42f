import type { UserRole } from '../../common/request-context/principal';
import { VENDOR_READERS } from '../../vendor-console/vendor-scope';
import { SUPPORT_ROLES } from '../support/support-roles';

/** The pages a finished sign-in lands on when it was not asked for by a page (`next`), by the kind of user. */
export const CONSOLE_HOMES = {
  vendor: '/vendor',
  support: '/support',
  provider: '/provider',
  other: '/account',
} as const;

const PROVIDER_ROLES: readonly UserRole[] = ['provider_admin', 'provider_viewer'];

/**
 * The user's console: vendor staff → the vendor console, support and platform staff → the support console, provider
 * users (and a new account with no role and no vendor yet, which `/provider` takes to its registration) → the
 * provider pages; anyone else → their account page. A user with several kinds of role gets the first in that order.
 */
export function homeAfterSignIn(user: { roles: readonly UserRole[]; vendorId: string | null }): string {
  const has = (roles: readonly UserRole[]) => user.roles.some((r) => roles.includes(r));
  if (has(VENDOR_READERS)) return CONSOLE_HOMES.vendor;
  if (has(SUPPORT_ROLES)) return CONSOLE_HOMES.support;
  if (has(PROVIDER_ROLES) || (user.roles.length === 0 && !user.vendorId)) return CONSOLE_HOMES.provider;
  return CONSOLE_HOMES.other;
}
