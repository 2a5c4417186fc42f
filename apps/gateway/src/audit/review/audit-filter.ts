import { z } from 'zod';
import { pageQuerySchema } from '../../common/pagination/cursor';

const UUID = z.string().uuid();

export const auditFilterSchema = z.strictObject({
  from: z.coerce.date().optional().describe('Events at or after this instant (ISO 8601)'),
  to: z.coerce.date().optional().describe('Events before this instant (ISO 8601)'),
  vendor: UUID.optional().describe('Platform staff only: one vendor (ignored for a vendor’s own callers)'),
  organisation: z.string().regex(/^[A-Za-z0-9]{1,20}$/).optional().describe('An organisation code'),
  category: z.enum(['inbound', 'exchange', 'security']).optional(),
  operation: z.string().min(1).max(100).optional().describe('e.g. `VerifyUSI`, `CreateUSI`, `auth.login`'),
  outcome: z.string().min(1).max(50).optional().describe('The row’s outcome (`completed`, `failed` …) or a USI result (`Match`, `Valid`, `Exact` …)'),
  errorCode: z.string().min(1).max(100).optional().describe('A problem `code`'),
  requestId: z.string().min(1).max(128).optional(),
  usi: z.string().regex(/^[A-Za-z0-9]{10}$/).optional().describe('Events about this USI (matched by its HMAC; never stored in clear)'),
  /** Newest first unless `asc` (the order before the support console needed the latest at the top). */
  order: z.enum(['asc', 'desc']).default('desc').describe('Newest first (desc, default) or oldest first (asc)'),
});
export type AuditFilterQuery = z.output<typeof auditFilterSchema>;

export const auditSearchSchema = auditFilterSchema.extend(pageQuerySchema.shape);
export type AuditSearchQuery = z.output<typeof auditSearchSchema>;

/**
 * Resolved filters: organisation code turned into ids (one per vendor that registered it, as far as the caller may
 * see), USI into its HMAC.
 */
export interface AuditFilter {
  from?: Date;
  to?: Date;
  vendorId?: string;
  organisationIds?: string[];
  category?: string;
  operation?: string;
  outcome?: string;
  errorCode?: string;
  requestId?: string;
  usiHmac?: string;
}

export type AuditOrder = 'asc' | 'desc';

/** `order by` for one direction: (occurred_at, id) is the keyset the cursor carries. */
export function orderBy(order: AuditOrder): string {
  return order === 'asc' ? 'order by occurred_at, id' : 'order by occurred_at desc, id desc';
}

/** The keyset condition for the page after `$a, $b` in that direction. */
export function afterCursor(order: AuditOrder, at: string, id: string): string {
  return `(occurred_at, id) ${order === 'asc' ? '>' : '<'} (${at}, ${id}::uuid)`;
}

/** Column and value per filter; the column names are the only identifiers interpolated. */
export function filterConditions(f: AuditFilter, organisationIds: string[] | null): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    sql.push(clause(`$${params.length}`));
  };
  if (f.from) add((p) => `occurred_at >= ${p}`, f.from);
  if (f.to) add((p) => `occurred_at < ${p}`, f.to);
  if (f.vendorId) add((p) => `vendor_id = ${p}`, f.vendorId);
  if (f.organisationIds) add((p) => `organisation_id = any(${p}::uuid[])`, f.organisationIds);
  if (f.category) add((p) => `category = ${p}`, f.category);
  if (f.operation) add((p) => `operation = ${p}`, f.operation);
  // The row's outcome (started/completed/failed/success…) or the business outcome of a USI exchange (Match, Valid, Exact…).
  if (f.outcome) {
    add((p) => `(outcome = ${p} or details->'outcome'->>'result' = ${p} or details->'outcome'->>'usiStatus' = ${p})`, f.outcome);
  }
  if (f.errorCode) add((p) => `error_code = ${p}`, f.errorCode);
  if (f.requestId) add((p) => `request_id = ${p}`, f.requestId);
  if (f.usiHmac) add((p) => `usi_hmac = ${p}`, f.usiHmac);
  if (organisationIds) add((p) => `organisation_id = any(${p}::uuid[])`, organisationIds);
  return { sql, params };
}
