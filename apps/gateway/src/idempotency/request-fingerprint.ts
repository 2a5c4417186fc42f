import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order (or whitespace) are the
 * same request. Array order is significant.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    // Stryker disable next-line EqualityOperator,ConditionalExpression: object keys are unique (never equal), and V8's sort
    // reads only "less than", so a comparator answering 0 or 1 for "greater" sorts the same.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of method, path and canonical body: what "the same request" means for an idempotency key. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    // Stryker disable next-line MethodExpression: upper or lower, what matters is that the method's case is normalised.
    .update(`${method.toUpperCase()} ${path}\n`)
    .update(canonicalJson(body))
    .digest('hex');
}
