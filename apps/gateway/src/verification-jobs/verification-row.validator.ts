import { UsiServiceVersion, validateRequestBody, Verification } from '@usi/contract';
import { RawRow } from './verification-input.parser';

/** A row that will be sent: the caller's `recordId` is kept here; the registry sees the row number as its RecordId. */
export interface SendableRow {
  row: number;
  recordId: string;
  verification: Omit<Verification, 'recordId'>;
}

/** A row that will not be sent, with every reason (field path + stable code; never the value). */
export interface RejectedRow {
  row: number;
  recordId: string | null;
  reasons: string[];
}

export interface CheckedRows {
  sendable: SendableRow[];
  rejected: RejectedRow[];
}

const RECORD_ID_MAX = 100;
const VERIFY_FIELDS = ['usi', 'firstName', 'familyName', 'singleName', 'dateOfBirth'] as const;

/**
 * Sorts the upload into will-send and cannot-send, with the same rules as a single VerifyUSI (USI check character,
 * name rules, date of birth) from `@usi/contract`, plus the job's own: a `recordId` on every row, unique in the job.
 */
export function checkRows(rows: RawRow[], version?: UsiServiceVersion, now?: Date): CheckedRows {
  const sendable: SendableRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  for (const raw of rows) {
    if (!raw.fields) {
      rejected.push({ row: raw.row, recordId: null, reasons: [`row: ${raw.unreadable ?? 'unreadable'}`] });
      continue;
    }
    const reasons: string[] = [];
    const id = raw.fields.recordId;
    const recordId = typeof id === 'string' || typeof id === 'number' ? String(id).trim() : '';
    if (!recordId) reasons.push('recordId: required');
    else if (recordId.length > RECORD_ID_MAX) reasons.push(`recordId: longer than ${RECORD_ID_MAX} characters`);
    else if (seen.has(recordId)) reasons.push('recordId: duplicate_record_id');
    if (recordId) seen.add(recordId);
    const candidate: Record<string, unknown> = {};
    for (const key of VERIFY_FIELDS) if (raw.fields[key] !== undefined) candidate[key] = raw.fields[key];
    for (const key of Object.keys(raw.fields)) {
      if (key !== 'recordId' && !(VERIFY_FIELDS as readonly string[]).includes(key)) reasons.push(`${key}: unknown_field`);
    }
    const result = validateRequestBody('VerifyUSI', candidate, { omit: ['orgCode'], version, now });
    if (!result.ok) for (const e of result.errors) reasons.push(`${e.path || 'row'}: ${e.code}`);
    if (reasons.length || !result.ok) {
      rejected.push({ row: raw.row, recordId: recordId || null, reasons });
    } else {
      sendable.push({ row: raw.row, recordId, verification: result.value as Omit<Verification, 'recordId'> });
    }
  }
  return { sendable, rejected };
}
