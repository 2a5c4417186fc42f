import { AppError } from '../../common/errors/app-error';
import type { Principal } from '../../common/request-context/principal';
import type { VendorId } from '../../database/vendor-id';

/** What one caller may read: everything (staff) or one vendor's rows, optionally only some organisations. */
export type AuditScope =
  | { kind: 'platform' }
  | { kind: 'vendor'; vendorId: VendorId; organisationIds: string[] | null };

const STAFF = ['support', 'platform_admin'] as const;

export function auditScopeOf(p: Principal): AuditScope {
  if (p.kind === 'user' && p.roles.some((r) => (STAFF as readonly string[]).includes(r))) return { kind: 'platform' };
  if (!p.vendorId) throw new AppError('auth.forbidden_scope', 'This account cannot read the audit trail');
  if (p.kind === 'user' && !p.roles.includes('vendor_admin')) {
    // provider_admin: their own organisation, and nothing if the account has none.
    return { kind: 'vendor', vendorId: p.vendorId, organisationIds: p.organisationIds ?? [] };
  }
  return { kind: 'vendor', vendorId: p.vendorId, organisationIds: p.organisationIds ?? null };
}

export function isStaffScope(scope: AuditScope): boolean {
  return scope.kind === 'platform';
}
