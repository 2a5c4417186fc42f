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
