import { upstreamProblem } from '@usi/client';
import { problemDocsUrl, statusForCode } from '../../common/errors/error-status';
import type { StoredAuditEvent } from '../audit.types';

/** What an error code means in plain words: the `/docs/errors` row for upstream errors, else the code's title. */
export interface StoryGuidance {
  code: string;
  title: string;
  meaning?: string;
  vendor?: readonly string[];
  provider?: readonly string[];
  docs?: string;
}

/** One STS or USI exchange: its `started` row and, unless the gateway died in between, its outcome row. */
export interface ExchangeStory {
  exchangeId: string;
  kind: string | null;
  operation: string | null;
  endpoint: string | null;
  /**
   * 1 for the first exchange of this kind and operation in the request, 2 for the next… The gateway's retries of a
   * read, and a token request repeated after the registry refused the cached one, are later attempts.
   */
  attempt: number;
  retry: boolean;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** `unknown`: the started row has no outcome (the process stopped while the call was in flight). */
  outcome: 'completed' | 'failed' | 'unknown';
  httpStatus: number | null;
  errorCode: string | null;
  upstream: { code?: unknown; title?: unknown; message?: unknown } | null;
  /** The business outcome summary (Match/NoMatch, Success, counts…), never personal data. */
  result: Record<string, unknown> | null;
  tokenCacheHit: boolean | null;
  usiMasked: string | null;
  guidance: StoryGuidance | null;
  /** Where the retained raw SOAP can be read: only for `platform_admin`, only when retained; each read is audited. */
  rawExchange?: string;
}

export interface RequestStory {
  requestId: string;
  vendorId: string | null;
  organisation: { id: string; orgCode: string | null } | null;
  actor: { id: string; kind: unknown; roles: unknown } | null;
  /** The inbound call as the gateway answered it; null when only exchanges (a background job) carry this id. */
  inbound: {
    eventId: string;
    occurredAt: string;
    method: unknown;
    route: unknown;
    operation: string | null;
    httpStatus: number | null;
    outcome: string | null;
    errorCode: string | null;
    latencyMs: unknown;
    usiMasked: string | null;
  } | null;
  outcome: string | null;
  errorCode: string | null;
  guidance: StoryGuidance | null;
  exchanges: ExchangeStory[];
  retries: number;
  /** Everything else the request wrote (security events: refusals, staff reads…). */
  securityEvents: StoredAuditEvent[];
  /** Every row, oldest first, as stored (for chain checks and anything the summary leaves out). */
  events: StoredAuditEvent[];
}

export function guidanceFor(code: string | null): StoryGuidance | null {
  if (!code) return null;
  const problem = upstreamProblem(code);
  if (!problem) return { code, title: statusForCode(code).title };
  return { code, title: problem.title, meaning: problem.meaning, vendor: problem.vendor, provider: problem.provider, docs: problemDocsUrl(code) };
}

/**
 * The story of one request from its rows (oldest first): the inbound event, each exchange paired with its outcome
 * by `relatedEventId`, and the guidance the API gave for its error. `orgCodes` names the organisations;
 * `retained` holds the exchange ids whose raw SOAP the caller may open.
 */
export function buildRequestStory(
  requestId: string,
  events: StoredAuditEvent[],
  orgCodes: Map<string, string>,
  retained: ReadonlySet<string>,
): RequestStory {
  const inboundEvent = events.find((e) => e.category === 'inbound');
  const outcomes = new Map(events.filter((e) => e.category === 'exchange' && e.relatedEventId).map((e) => [e.relatedEventId as string, e]));
  const seen = new Map<string, number>();
  const exchanges = events
    .filter((e) => e.category === 'exchange' && e.type === 'started')
    .map((started) => {
      const key = `${String(started.details.kind)}:${started.operation}`;
      const attempt = (seen.get(key) ?? 0) + 1;
      seen.set(key, attempt);
      return exchangeStory(started, outcomes.get(started.id), attempt, retained);
    });
  const first = inboundEvent ?? events[0];
  const organisationId = first?.organisationId ?? events.find((e) => e.organisationId)?.organisationId ?? null;
  const d = inboundEvent?.details ?? {};
  const lastFailed = [...exchanges].reverse().find((x) => x.outcome === 'failed');
  const errorCode = inboundEvent ? inboundEvent.errorCode : (lastFailed?.errorCode ?? null);
  return {
    requestId,
    vendorId: first?.vendorId ?? null,
    organisation: organisationId ? { id: organisationId, orgCode: orgCodes.get(organisationId) ?? null } : null,
    actor: inboundEvent?.actor ? { id: inboundEvent.actor, kind: d.actorKind ?? null, roles: d.actorRoles ?? [] } : null,
    inbound: inboundEvent
      ? {
          eventId: inboundEvent.id,
          occurredAt: inboundEvent.occurredAt,
          method: d.method ?? null,
          route: d.route ?? null,
          operation: inboundEvent.operation,
          httpStatus: inboundEvent.httpStatus,
          outcome: inboundEvent.outcome,
          errorCode: inboundEvent.errorCode,
          latencyMs: d.latencyMs ?? null,
          usiMasked: inboundEvent.usiMasked,
        }
      : null,
    outcome: inboundEvent?.outcome ?? lastFailed?.outcome ?? exchanges[exchanges.length - 1]?.outcome ?? null,
    errorCode,
    guidance: guidanceFor(errorCode),
    exchanges,
    retries: exchanges.filter((x) => x.retry).length,
    securityEvents: events.filter((e) => e.category === 'security'),
    events,
  };
}

function exchangeStory(
  started: StoredAuditEvent,
  done: StoredAuditEvent | undefined,
  attempt: number,
  retained: ReadonlySet<string>,
): ExchangeStory {
  const s = started.details;
  const f = done?.details ?? {};
  const upstream = done && (f.upstreamCode !== undefined || f.upstreamTitle !== undefined || f.upstreamMessage !== undefined)
    ? { code: f.upstreamCode, title: f.upstreamTitle, message: f.upstreamMessage }
    : null;
  return {
    exchangeId: started.id,
    kind: typeof s.kind === 'string' ? s.kind : null,
    operation: started.operation,
    endpoint: typeof s.endpoint === 'string' ? s.endpoint : null,
    attempt,
    retry: attempt > 1,
    startedAt: started.occurredAt,
    finishedAt: done?.occurredAt ?? null,
    durationMs: typeof f.durationMs === 'number' ? f.durationMs : null,
    outcome: done?.outcome === 'completed' || done?.outcome === 'failed' ? done.outcome : 'unknown',
    httpStatus: done?.httpStatus ?? null,
    errorCode: done?.errorCode ?? null,
    upstream,
    result: (f.outcome as Record<string, unknown> | undefined) ?? null,
    tokenCacheHit: typeof s.tokenCacheHit === 'boolean' ? s.tokenCacheHit : null,
    usiMasked: done?.usiMasked ?? started.usiMasked,
    guidance: guidanceFor(done?.errorCode ?? null),
    ...(retained.has(started.id) ? { rawExchange: `/v1/audit/raw-exchanges/${started.id}` } : {}),
  };
}
