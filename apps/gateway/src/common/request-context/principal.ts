import type { VendorId } from '../../database/vendor-id';

export const API_SCOPES = ['usi:verify', 'usi:write', 'bulk', 'audit:read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const USER_ROLES = ['provider_admin', 'provider_user', 'vendor_admin', 'support', 'platform_admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

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
