import type { EntityManager } from 'typeorm';
import type { VendorId } from '../../database/vendor-id';
import type { Principal } from '../request-context/principal';

export interface SecurityEvent {
  /** `area.action`, e.g. `api_key.created`, `auth.login_failed`. */
  type: string;
  vendorId?: VendorId;
  organisationId?: string;
  actor?: Principal;
  /** Identifiers and outcomes only: never secrets or personal data. */
  details?: Record<string, unknown>;
}

/**
 * The port through which features (auth, credentials, tenancy, expiry) put security events on the audit trail.
 * Owned here so they need not import the audit module's service; the audit module provides it (AuditService).
 */
export abstract class SecurityEvents {
  /** With `m`, the event commits in the caller's transaction, with the change it records. */
  abstract recordSecurityEvent(event: SecurityEvent, m?: EntityManager): Promise<void>;
}
