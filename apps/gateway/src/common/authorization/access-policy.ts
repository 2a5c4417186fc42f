import { AppError } from '../errors/app-error';
import { API_SCOPES, ApiScope, PLATFORM_ROLES, Principal, UserRole } from '../request-context/principal';
import type { VendorId } from '../../database/vendor-id';

/*
 * The gateway's one access policy. Pure functions over a `Principal`, shared by the global auth guard (route rules)
 * and the services (what a principal may grant, revoke, list and read). Nothing here knows about HTTP or the database,
 * so the whole policy is tested as a table (access-policy.spec.ts) and every route against it end to end
 * (test/gateway/authorization/route-access.e2e.spec.ts).
 *
 * 1. Route: an API key must hold every scope a route lists, a user one of its roles. Platform roles count only on a
 *    user without a vendor, vendor roles only on a user with one (the database enforces the same; this is the second
 *    lock). A route listing neither is open to any authenticated principal.
 * 2. Vendor-wide: actions that change the whole vendor (machine credentials, new organisations, and later webhooks)
 *    need a principal of that vendor with no organisation restriction.
 * 3. No escalation: a principal creates or revokes only keys within what it holds itself — scopes within its own,
 *    organisations within its own, and "every organisation" only when it has no restriction.
 * 4. Audit reach: platform staff read across vendors (each read of a vendor's data lands on that vendor's chain);
 *    vendor admins, vendor support and `audit:read` keys read their vendor (within their organisations), provider
 *    admins their organisation only.
 */

export type DenialCode = 'auth.forbidden_scope' | 'auth.vendor_wide_required' | 'auth.exceeds_own_access';

export type Decision =
  | { allowed: true }
  | { allowed: false; code: DenialCode; message: string; details?: Record<string, unknown> };

export interface RouteRule {
  scopes?: readonly ApiScope[];
  roles?: readonly UserRole[];
  vendorWide?: boolean;
}

/** What a key grants or a revocation targets. `organisationIds: null` is every organisation of the vendor. */
export interface Grant {
  scopes: readonly ApiScope[];
  organisationIds: readonly string[] | null;
}

export type AuditReach =
  | { kind: 'platform' }
  | { kind: 'vendor'; vendorId: VendorId; organisationIds: string[] | null };

const ALLOW: Decision = { allowed: true };

function deny(code: DenialCode, message: string, details?: Record<string, unknown>): Decision {
  return { allowed: false, code, message, ...(details ? { details } : {}) };
}

const isPlatformRole = (role: UserRole): boolean => (PLATFORM_ROLES as readonly UserRole[]).includes(role);

/** A user's roles that are valid for where the account sits (platform or vendor); never any for an API key. */
export function effectiveRoles(p: Principal): UserRole[] {
  if (p.kind !== 'user') return [];
  return p.roles.filter((role) => isPlatformRole(role) === (p.vendorId === null));
}

export function isPlatformStaff(p: Principal): boolean {
  return effectiveRoles(p).some(isPlatformRole);
}

/** Acts for the whole vendor: it has one, and no organisation restriction. */
export function isVendorWide(p: Principal): boolean {
  return p.vendorId !== null && !p.organisationIds;
}

/** The API scopes each role amounts to, for rule 3: what a user may put on a key it creates. */
const ROLE_SCOPES: Readonly<Record<UserRole, readonly ApiScope[]>> = {
  vendor_admin: API_SCOPES,
  // Read-only: it issues no key (rule 3 refuses any scope).
  vendor_developer: [],
  support: ['audit:read'],
  provider_admin: ['audit:read'],
  provider_viewer: [],
  platform_support: [],
  platform_admin: [],
};

export function heldScopes(p: Principal): ApiScope[] {
  if (p.kind === 'api_key') return [...p.scopes];
  return [...new Set(effectiveRoles(p).flatMap((role) => ROLE_SCOPES[role]))];
}

/** Rules 1 and 2, for the guard. */
export function routeDecision(p: Principal, rule: RouteRule): Decision {
  const { scopes, roles } = rule;
  if (scopes || roles) {
    const held =
      p.kind === 'api_key'
        ? !!scopes && scopes.every((s) => p.scopes.includes(s))
        : !!roles && effectiveRoles(p).some((r) => roles.includes(r));
    if (!held) {
      return deny('auth.forbidden_scope', 'Your key or account is not allowed to do this', {
        ...(scopes ? { requiredScopes: scopes } : {}),
        ...(roles ? { requiredRoles: roles } : {}),
      });
    }
  }
  if (rule.vendorWide && !isVendorWide(p)) {
    return deny('auth.vendor_wide_required', 'Only a key or account for the whole vendor (no organisation restriction) can do this');
  }
  return ALLOW;
}

/** Rule 3, creating a key. */
export function grantDecision(p: Principal, grant: Grant): Decision {
  return withinHolder(p, grant, 'create');
}

/** Rule 3, revoking a key: a key broader than the caller stays out of its reach. */
export function revokeDecision(p: Principal, target: Grant): Decision {
  return withinHolder(p, target, 'revoke');
}

function withinHolder(p: Principal, g: Grant, action: string): Decision {
  if (!p.vendorId) return deny('auth.forbidden_scope', 'API keys belong to a vendor; this account has none');
  const held = heldScopes(p);
  const extraScopes = g.scopes.filter((s) => !held.includes(s));
  const own = p.organisationIds;
  const unrestricted = !!own && g.organisationIds === null;
  const extraOrganisationIds = own && g.organisationIds ? g.organisationIds.filter((id) => !own.includes(id)) : [];
  if (!extraScopes.length && !unrestricted && !extraOrganisationIds.length) return ALLOW;
  return deny('auth.exceeds_own_access', `You cannot ${action} a key with more access than your own`, {
    ...(extraScopes.length ? { extraScopes } : {}),
    ...(unrestricted ? { unrestricted: true } : {}),
    ...(extraOrganisationIds.length ? { extraOrganisationIds } : {}),
  });
}

/** Organisations a listing is limited to: the principal's own restriction, or null for all of the vendor's. */
export function organisationRestriction(p: Principal): string[] | null {
  return p.organisationIds ?? null;
}

export function reachesOrganisation(p: Principal, organisationId: string): boolean {
  return !p.organisationIds || p.organisationIds.includes(organisationId);
}

/** Rule 4; undefined when the principal may not read the audit trail at all. */
export function auditReach(p: Principal): AuditReach | undefined {
  if (isPlatformStaff(p)) return { kind: 'platform' };
  if (!p.vendorId) return undefined;
  const roles = effectiveRoles(p);
  if (p.kind === 'api_key') return p.scopes.includes('audit:read') ? vendorReach(p.vendorId, p.organisationIds) : undefined;
  if (roles.includes('vendor_admin') || roles.includes('support')) return vendorReach(p.vendorId, p.organisationIds);
  // A provider admin reads its own organisation, and nothing when the account has none.
  if (roles.includes('provider_admin')) return vendorReach(p.vendorId, p.organisationIds ?? []);
  return undefined;
}

function vendorReach(vendorId: VendorId, organisationIds: string[] | null | undefined): AuditReach {
  return { kind: 'vendor', vendorId, organisationIds: organisationIds ?? null };
}

/** Turns a denial into the error the problem filter renders (403 with the decision's code). */
export function enforce(decision: Decision): void {
  if (!decision.allowed) throw new AppError(decision.code, decision.message, decision.details);
}
