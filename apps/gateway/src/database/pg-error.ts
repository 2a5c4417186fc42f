/** Postgres unique violations, matched by constraint or index name so each caller maps only its own. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23505' && source.constraint === constraint;
}
