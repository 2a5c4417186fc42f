import { createHash } from 'node:crypto';

// Object keys are unique (never equal), and V8's sort reads only "less than": a comparator answering 0 or 1 for
// "greater" sorts the same, so those mutants are equivalent.
// Stryker disable next-line EqualityOperator,ConditionalExpression: see above
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order (or whitespace) are the
 * same request. Array order is significant.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(byKey);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of method, path and canonical body: what "the same request" means for an idempotency key. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  // Stryker disable next-line MethodExpression: upper or lower, what matters is that the method's case is normalised.
  const requestLine = `${method.toUpperCase()} ${path}\n`;
  return createHash('sha256').update(requestLine).update(canonicalJson(body)).digest('hex');
}
