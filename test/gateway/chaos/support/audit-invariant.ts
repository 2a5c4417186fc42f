import { queryAs } from '../../../support/test-database';
import { OutcomeReport } from './outcome-report';
import type { Outcome } from './verify-load';

interface Row {
  id: string;
  request_id: string;
  category: 'inbound' | 'exchange' | 'security';
  type: string;
  operation: string | null;
  related_event_id: string | null;
  http_status: number | null;
}

/**
 * The audit promise under failure, over every call of a run (request ids `<prefix>-…`): each 2xx answer has exactly
 * one inbound row with that status and a committed VerifyUSI exchange (`started` and its `completed`), and no row is
 * there twice (one inbound row per request, one outcome per started exchange, no event id twice). A call retried by
 * the gateway has one started row per exchange, each with its own id.
 * Returns the violations, empty when it holds.
 */
export async function auditViolations(ownerUrl: string, prefix: string, outcomes: Outcome[]): Promise<string[]> {
  const rows = await queryAs<Row>(
    ownerUrl,
    `select id, request_id, category, type, operation, related_event_id, http_status
       from audit_events where request_id like $1`,
    [`${prefix}-%`],
  );
  const byRequest = new Map<string, Row[]>();
  for (const row of rows) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), row]);
  const violations: string[] = [];

  for (const o of outcomes.filter(OutcomeReport.isSuccess)) {
    const mine = byRequest.get(o.requestId) ?? [];
    const inbound = mine.filter((r) => r.category === 'inbound');
    if (inbound.length !== 1 || inbound[0].http_status !== o.status) {
      violations.push(`${o.requestId} answered ${o.status}: inbound rows ${JSON.stringify(inbound.map((r) => r.http_status))}`);
    }
    const started = mine.filter((r) => r.category === 'exchange' && r.type === 'started' && r.operation === 'VerifyUSI');
    const completed = mine.filter((r) => r.type === 'completed' && started.some((s) => s.id === r.related_event_id));
    if (!completed.length) violations.push(`${o.requestId} answered ${o.status}: no committed VerifyUSI started/completed pair`);
  }

  for (const [requestId, mine] of byRequest) {
    const inbound = mine.filter((r) => r.category === 'inbound');
    if (inbound.length > 1) violations.push(`${requestId}: ${inbound.length} inbound rows`);
    const startedIds = new Set(mine.filter((r) => r.type === 'started').map((r) => r.id));
    const outcomesOf = new Map<string, number>();
    for (const r of mine.filter((r) => r.related_event_id !== null)) {
      if (!startedIds.has(r.related_event_id!)) violations.push(`${requestId}: ${r.type} row for an exchange not started in this request`);
      outcomesOf.set(r.related_event_id!, (outcomesOf.get(r.related_event_id!) ?? 0) + 1);
    }
    for (const [started, n] of outcomesOf) if (n > 1) violations.push(`${requestId}: ${n} outcome rows for exchange ${started}`);
    // The key is (id, occurred_at): the same event written twice at two moments would not collide.
    const ids = mine.map((r) => r.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length) violations.push(`${requestId}: rows written twice ${JSON.stringify(repeated)}`);
  }
  return violations;
}
