/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so the same record always
 * serialises to the same bytes whether it comes from the application or back from a jsonb column.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // An undefined element reads as null, as in JSON.stringify (canonicalJson(undefined) is 'null').
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  return `{${sortedKeys(value as Record<string, unknown>).map((k) => member(value as Record<string, unknown>, k)).join(',')}}`;
}

function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
}

function member(value: Record<string, unknown>, k: string): string {
  return `${JSON.stringify(k)}:${canonicalJson(value[k])}`;
}
