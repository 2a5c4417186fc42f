/**
 * The rows of a bulk job upload (verification, creation), before validation: CSV (header row), a JSON array, or NDJSON (one JSON
 * object per line). Parsing never fails the whole upload for one bad row: a row that cannot be read becomes an
 * unreadable row with its reason, and the job reports it. Only an unreadable document (no header, not JSON) fails.
 */
export type InputFormat = 'csv' | 'json' | 'ndjson';

export interface RawRow {
  /** 1-based position of the record in the upload (the CSV header is not a row). */
  row: number;
  fields?: Record<string, unknown>;
  /** Why the row could not be read at all. */
  unreadable?: string;
}

export class InputDocumentError extends Error {}

/** `columns`: the CSV columns of this kind of job (matched case-insensitively; others are ignored). */
export function parseInput(text: string, format: InputFormat, maxRows: number, columns: readonly string[]): RawRow[] {
  const rows = format === 'csv' ? parseCsv(text, columns) : format === 'json' ? parseJsonArray(text) : parseNdjson(text);
  if (rows.length === 0) throw new InputDocumentError('The upload holds no records');
  if (rows.length > maxRows) throw new InputDocumentError(`The upload holds ${rows.length} records; at most ${maxRows} are accepted per job`);
  return rows;
}

function parseJsonArray(text: string): RawRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputDocumentError('The body is not valid JSON');
  }
  const list = Array.isArray(value) ? value : (value as { records?: unknown } | null)?.records;
  if (!Array.isArray(list)) throw new InputDocumentError('The JSON body must be an array of records (or {"records": [...]})');
  return list.map((item, i) => toRow(i + 1, item));
}

function parseNdjson(text: string): RawRow[] {
  const rows: RawRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const row = rows.length + 1;
    try {
      rows.push(toRow(row, JSON.parse(line)));
    } catch {
      rows.push({ row, unreadable: 'not a JSON object' });
    }
  }
  return rows;
}

function toRow(row: number, item: unknown): RawRow {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { row, unreadable: 'not a JSON object' };
  return { row, fields: item as Record<string, unknown> };
}

/** RFC 4180: comma-separated, fields optionally double-quoted ("" inside quotes is a quote), CRLF or LF. */
function parseCsv(text: string, columns: readonly string[]): RawRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) throw new InputDocumentError('The CSV has no header row');
  const byLower = new Map<string, string>(columns.map((c) => [c.toLowerCase(), c]));
  const names = header.map((h) => byLower.get(h.trim().toLowerCase()));
  if (!names.includes('recordId')) {
    throw new InputDocumentError(`The CSV header must name the columns ${columns.join(', ')} (recordId at least)`);
  }
  return records
    .filter((fields) => fields.some((f) => f !== ''))
    .map((fields, i) => {
      if (fields.length !== header.length) return { row: i + 1, unreadable: `${fields.length} columns where the header has ${header.length}` };
      const record: Record<string, unknown> = {};
      names.forEach((name, c) => {
        if (name && fields[c] !== '') record[name] = fields[c];
      });
      return { row: i + 1, fields: record };
    });
}

function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}
