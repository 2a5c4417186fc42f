import type { VendorId } from '../../database/vendor-id';

export const API_SCOPES = ['usi:verify', 'usi:write', 'bulk', 'audit:read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * `vendor_developer` is a vendor's read-only member (the vendor console without its actions).
 * `support` works for one vendor and sees that vendor's tenants; `platform_support` and `platform_admin` work for the
 * platform operator and have no vendor. The split is enforced by the database (migration UserRoleTenancy) and again by
 * the access policy (common/authorization/access-policy.ts).
 */
export const USER_ROLES = ['provider_admin', 'provider_viewer', 'vendor_admin', 'vendor_developer', 'support', 'platform_support', 'platform_admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles of platform staff: only valid on users without a vendor. */
export const PLATFORM_ROLES = ['platform_support', 'platform_admin'] as const satisfies readonly UserRole[];

/** Who is calling. The tenant always comes from here, never from a request body or path. */
export interface Principal {
  kind: 'api_key' | 'user';
  /** Null only for platform staff. */
  vendorId: VendorId | null;
  /** Null or absent: every organisation of the vendor. */
  organisationIds?: string[] | null;
  scopes: ApiScope[];
  roles: UserRole[];
  /** `api_key:<id>` or `user:<id>`, for logs and audit. */
  actorId: string;
}
