import { AuditReach, auditReach } from '../../common/authorization/access-policy';
import { AppError } from '../../common/errors/app-error';
import type { Principal } from '../../common/request-context/principal';

/** What one caller may read: everything (platform staff) or one vendor's rows, optionally only some organisations. */
export type AuditScope = AuditReach;

/** The access policy's rule 4, or 403 for a principal that may not read the trail at all. */
export function auditScopeOf(p: Principal): AuditScope {
  const reach = auditReach(p);
  if (!reach) throw new AppError('auth.forbidden_scope', 'This account cannot read the audit trail');
  return reach;
}

