import type { StoredAuditEvent } from '../audit.types';

export const CSV_COLUMNS = [
  'id', 'occurredAt', 'chainId', 'chainSeq', 'vendorId', 'organisationId', 'category', 'type', 'requestId', 'actor',
  'operation', 'outcome', 'httpStatus', 'errorCode', 'usiMasked', 'relatedEventId', 'details', 'hash',
] as const satisfies readonly (keyof StoredAuditEvent)[];

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

export function csvRows(events: StoredAuditEvent[]): string {
  let out = '';
  for (const e of events) out += `${CSV_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`;
  return out;
}
