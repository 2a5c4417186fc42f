import { UsiServiceVersion, validateRequestBody, Verification } from '@usi/contract';
import type { RawRow } from '../jobs/job-input.parser';
import { CheckedRows, sortRows } from '../jobs/job-row.checker';

/** The columns of a verification upload in CSV (served as an example by the API). */
export const VERIFICATION_CSV_COLUMNS = ['recordId', 'usi', 'firstName', 'familyName', 'singleName', 'dateOfBirth'] as const;
const VERIFY_FIELDS = VERIFICATION_CSV_COLUMNS.slice(1) as readonly string[];

/**
 * Sorts the upload into will-send and cannot-send, with the same rules as a single VerifyUSI (USI check character,
 * name rules, date of birth) from `@usi/contract`, plus every job's own (`sortRows`).
 */
export function checkRows(rows: RawRow[], version?: UsiServiceVersion, now = new Date()): Promise<CheckedRows<Omit<Verification, 'recordId'>>> {
  // One instant for the whole upload: every row's date of birth is judged against the same today.
  return sortRows(rows, (fields) => {
    const reasons: string[] = [];
    const candidate: Record<string, unknown> = {};
    for (const key of VERIFY_FIELDS) if (fields[key] !== undefined) candidate[key] = fields[key];
    for (const key of Object.keys(fields)) if (!VERIFY_FIELDS.includes(key)) reasons.push(`${key}: unknown_field`);
    const result = validateRequestBody('VerifyUSI', candidate, { omit: ['orgCode'], version, now });
    if (!result.ok) {
      for (const e of result.errors) reasons.push(`${e.path || 'row'}: ${e.code}`);
      return { reasons };
    }
    return { value: result.value as Omit<Verification, 'recordId'>, reasons };
  });
}
