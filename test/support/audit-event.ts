import { AuditEventInput, EMPTY_AUDIT_FIELDS } from '@gateway/audit/audit.types';

/** An audit event with every column a test does not set left empty. */
export function auditEventInput(fields: Pick<AuditEventInput, 'category' | 'type'> & Partial<AuditEventInput>): AuditEventInput {
  return {
    ...EMPTY_AUDIT_FIELDS,
    vendorId: null,
    organisationId: null,
    details: {},
    ...fields,
  };
}
