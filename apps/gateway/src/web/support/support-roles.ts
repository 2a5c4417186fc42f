import type { UserRole } from '../../common/request-context/principal';

/**
 * Who opens the support console: `support` for its own vendor, platform staff across vendors (the audit's reach,
 * access policy rule 4; each staff read of a vendor's data is recorded on that vendor's chain by the audit service).
 */
export const SUPPORT_ROLES: UserRole[] = ['support', 'platform_support', 'platform_admin'];
