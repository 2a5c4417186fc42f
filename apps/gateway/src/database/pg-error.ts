/** Postgres unique violations, matched by constraint or index name so each caller maps only its own. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23505' && source.constraint === constraint;
}

/** Text Postgres cannot store (NUL, invalid UTF-8): bad input that got past validation, not a server failure. */
export function isUnstorableText(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = (e?.driverError ?? e)?.code;
  return code === '22021' || code === '22P05';
}

/**
 * node-postgres' messages for no pooled connection within `connectionTimeoutMillis`, for a connection lost mid-query,
 * and for a query sent on a connection already lost (a pooled connection can die between checkout and first query).
 */
const POOL_TIMEOUT = /timeout exceeded when trying to connect|Connection terminated|is not queryable/i;

/**
 * The database did not answer in time or is going away: a statement cancelled by `statement_timeout` (57014), the
 * server shutting down or refusing connections (57P01–57P03), a lost connection (class 08), no pooled connection within
 * the acquire timeout, or a refused socket. Retrying later may succeed; the request itself was not wrong.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: { code?: string; message?: string } };
  const source = e?.driverError ?? e;
  const code = source?.code;
  if (code === '57014' || code === '57P01' || code === '57P02' || code === '57P03' || code?.startsWith('08')) return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
  return POOL_TIMEOUT.test(source?.message ?? '');
}
