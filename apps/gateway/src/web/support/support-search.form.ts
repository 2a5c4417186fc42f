import { AuditSearchQuery, auditSearchSchema } from '../../audit/review/audit-filter';
import type { FieldError } from '../forms/form-errors';

/** The audit filters the console's search form sends, each the audit API's query parameter of the same name. */
export const SEARCH_FIELDS = ['from', 'to', 'vendor', 'organisation', 'category', 'operation', 'outcome', 'errorCode', 'requestId', 'usi'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

const MESSAGES: Record<SearchField | 'cursor', string> = {
  from: 'Enter the start as a date and time, for example 2026-12-01T09:00',
  to: 'Enter the end as a date and time, for example 2026-12-01T17:00',
  vendor: 'Choose a vendor from the list',
  organisation: 'An organisation code is letters and digits only, up to 20',
  category: 'Choose a category from the list',
  operation: 'Enter an operation name, up to 100 characters',
  outcome: 'Enter an outcome, up to 50 characters',
  errorCode: 'Enter an error code, up to 100 characters',
  requestId: 'Enter a request id, up to 128 characters',
  usi: 'A USI is 10 letters and digits: type it in full',
  cursor: 'That page link is no longer valid: start the search again',
};

export interface ParsedSearch {
  /** What was typed, for the form (the USI never: it goes back masked, see `usiMasked`). */
  values: Partial<Record<SearchField, string>>;
  query?: AuditSearchQuery;
  errors: FieldError[];
}

/**
 * Reads the filters from a query string or form body the way the audit API reads its own (the same schema), so
 * the console offers exactly the API's filters, newest first, 50 a page. Empty fields are no filter; `datetime-local`
 * values are UTC (the page says so).
 */
export function parseSearch(input: Record<string, unknown>): ParsedSearch {
  const values: Partial<Record<SearchField, string>> = {};
  for (const field of SEARCH_FIELDS) {
    const raw = input[field];
    if (typeof raw === 'string' && raw.trim() !== '') values[field] = raw.trim();
  }
  const cursor = typeof input.cursor === 'string' && input.cursor ? input.cursor : undefined;
  const dated = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}Z` : v);
  const result = auditSearchSchema.safeParse({ ...values, from: dated(values.from), to: dated(values.to), ...(cursor ? { cursor } : {}) });
  if (result.success) return { values, query: result.data, errors: [] };
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '') as SearchField | 'cursor';
    if (field in MESSAGES && !errors.some((e) => e.field === field)) errors.push({ field, message: MESSAGES[field] });
  }
  if (!errors.length) errors.push({ field: 'requestId', message: 'These filters cannot be searched' });
  return { values, errors };
}

/** The filters as hidden fields or query parameters for the next page and the export (every one but the cursor). */
export function filterParams(values: Partial<Record<SearchField, string>>): [SearchField, string][] {
  return SEARCH_FIELDS.flatMap((f) => (values[f] ? [[f, values[f]] as [SearchField, string]] : []));
}
