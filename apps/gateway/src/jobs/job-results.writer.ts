import type { Response } from 'express';

/**
 * Streams a job's result rows as CSV (header row, `columns` in order) or a JSON array, with backpressure. The first
 * row is read before the headers go out, so a missing job or deleted results is still a problem+json answer.
 */
export async function writeJobResults<T extends object>(
  res: Response,
  rows: AsyncGenerator<T>,
  columns: readonly (keyof T & string)[],
  format: string | undefined,
): Promise<void> {
  const csv = format === 'csv' || (format === undefined && /text\/csv/.test(String(res.req.headers.accept ?? '')));
  const first = await rows.next();
  res.status(200).type(csv ? 'text/csv; charset=utf-8' : 'application/json');
  if (csv) res.write(csvLine(columns));
  else res.write('[');
  let n = 0;
  const write = (row: T) => {
    const chunk = csv ? csvLine(columns.map((c) => row[c])) : `${n ? ',' : ''}\n${JSON.stringify(row)}`;
    n += 1;
    return res.write(chunk);
  };
  if (!first.done) {
    if (!write(first.value)) await drained(res);
    for await (const row of rows) if (!write(row)) await drained(res);
  }
  res.end(csv ? '' : '\n]\n');
}

/** One CSV line (with its newline): each value quoted when needed, null/undefined as an empty cell. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/** A CSV document: the header row `columns`, then one line per row with its cells in that order (missing = empty). */
export function csvDocument<C extends string>(columns: readonly C[], rows: readonly Partial<Record<C, unknown>>[]): string {
  return [csvLine(columns), ...rows.map((row) => csvLine(columns.map((c) => row[c])))].join('');
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quoted when needed; a leading = + - @ is prefixed so a spreadsheet never runs a recordId as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => res.once('drain', resolve));
}
