import type { VendorId } from '../database/vendor-id';

export type AuditCategory = 'inbound' | 'exchange' | 'security';

/**
 * One audit row as hashed and stored. Only identifiers, outcomes and digests: never names, dates of birth,
 * addresses, contact details or document numbers, and a USI only as an HMAC and a masked form.
 */
export interface AuditRecord {
  id: string;
  occurredAt: string;
  chainId: string;
  chainSeq: number;
  vendorId: string | null;
  organisationId: string | null;
  category: AuditCategory;
  type: string;
  requestId: string | null;
  actor: string | null;
  operation: string | null;
  outcome: string | null;
  httpStatus: number | null;
  errorCode: string | null;
  usiHmac: string | null;
  usiMasked: string | null;
  relatedEventId: string | null;
  details: Record<string, unknown>;
}

export interface StoredAuditEvent extends AuditRecord {
  prevHash: string;
  hash: string;
  /** The chain key of the row's HMAC; null on rows written before the chain was keyed (unkeyed SHA-256). */
  keyId: string | null;
}

/** What callers supply; the repository adds the chain position and hashes. */
export type AuditEventInput = Omit<AuditRecord, 'chainId' | 'chainSeq' | 'vendorId' | 'occurredAt' | 'id'> & {
  id?: string;
  vendorId: VendorId | null;
  occurredAt?: Date;
};

/** The optional columns, all empty: events spread it and set what they carry. */
export const EMPTY_AUDIT_FIELDS: Pick<
  AuditEventInput,
  'requestId' | 'actor' | 'operation' | 'outcome' | 'httpStatus' | 'errorCode' | 'usiHmac' | 'usiMasked' | 'relatedEventId'
> = {
  requestId: null,
  actor: null,
  operation: null,
  outcome: null,
  httpStatus: null,
  errorCode: null,
  usiHmac: null,
  usiMasked: null,
  relatedEventId: null,
};
