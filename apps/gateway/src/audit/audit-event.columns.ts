import type { StoredAuditEvent } from './audit.types';

/** The stored columns in their record order; the only identifiers interpolated into audit SQL. */
export const AUDIT_COLUMNS = [
  ['id', 'id'],
  ['occurredAt', 'occurred_at'],
  ['chainId', 'chain_id'],
  ['chainSeq', 'chain_seq'],
  ['vendorId', 'vendor_id'],
  ['organisationId', 'organisation_id'],
  ['category', 'category'],
  ['type', 'type'],
  ['requestId', 'request_id'],
  ['actor', 'actor'],
  ['operation', 'operation'],
  ['outcome', 'outcome'],
  ['httpStatus', 'http_status'],
  ['errorCode', 'error_code'],
  ['usiHmac', 'usi_hmac'],
  ['usiMasked', 'usi_masked'],
  ['relatedEventId', 'related_event_id'],
  ['details', 'details'],
  ['prevHash', 'prev_hash'],
  ['hash', 'hash'],
  ['keyId', 'key_id'],
] as const satisfies readonly (readonly [keyof StoredAuditEvent, string])[];

export const SELECT_AUDIT_COLUMNS = AUDIT_COLUMNS.map(([field, column]) => `${column} as "${field}"`).join(', ');

/** pg hands back bigint as a string and timestamptz as a Date; the record form is a number and an ISO string. */
export function toStoredEvent(row: Record<string, unknown>): StoredAuditEvent {
  return {
    ...(row as unknown as StoredAuditEvent),
    occurredAt: (row.occurredAt as Date).toISOString(),
    chainSeq: Number(row.chainSeq),
  };
}
