import { z } from 'zod';
import { AppError } from '../errors/app-error';

/**
 * Keyset position: rows are ordered by (created_at, id), so inserts never shift a page. `created_at` columns
 * must hold millisecond precision (default `date_trunc('milliseconds', now())`) to round-trip through a JS Date.
 */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(p: CursorPosition): string {
  return Buffer.from(`${p.createdAt.toISOString()}|${p.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (extra !== undefined || !id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('request.invalid_cursor', 'The cursor is not one this API returned');
  }
  return { createdAt, id };
}

/** Repositories fetch `limit + 1` rows; the extra one only says whether another page exists. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
