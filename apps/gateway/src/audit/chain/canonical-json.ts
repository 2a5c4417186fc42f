/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so the same record always
 * serialises to the same bytes whether it comes from the application or back from a jsonb column.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  return `{${sortedKeys(value as Record<string, unknown>).map((k) => member(value as Record<string, unknown>, k)).join(',')}}`;
}

/**
 * The canonical JSON of `value` cut where the value of its top-level member `key` goes:
 * `head + canonicalJson(value[key]) + tail === canonicalJson(value)`. Lets the database fill in a member only it
 * knows (the chain sequence) and still hash the very bytes the application produced.
 */
export function canonicalJsonAround(value: Record<string, unknown>, key: string): { head: string; tail: string } {
  const keys = sortedKeys(value).filter((k) => k !== key);
  const before = keys.filter((k) => k < key).map((k) => member(value, k));
  const after = keys.filter((k) => k > key).map((k) => member(value, k));
  return {
    head: `{${before.map((m) => `${m},`).join('')}${JSON.stringify(key)}:`,
    tail: `${after.map((m) => `,${m}`).join('')}}`,
  };
}

function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
}

function member(value: Record<string, unknown>, k: string): string {
  return `${JSON.stringify(k)}:${canonicalJson(value[k])}`;
}
