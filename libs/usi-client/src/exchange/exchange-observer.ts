import type { OutcomeSummary } from './outcome-summary';

export type ExchangeKind = 'sts' | 'usi';

export interface ExchangeStarted {
  id: string;
  kind: ExchangeKind;
  operation: string;
  endpoint: string;
  attempt: number;
  requestId?: string;
  /** SHA-256 hex of the exact bytes sent: lets an audit trail prove what went out without storing personal data. */
  requestSha256: string;
  tokenCacheHit?: boolean;
  /** The exact request, in memory only, for encrypted raw retention: it carries personal data, never log it. */
  requestXml?: string;
}

export interface ExchangeError {
  code: string;
  upstreamCode?: number;
  title?: string;
  message: string;
}

export interface ExchangeFinished {
  id: string;
  kind: ExchangeKind;
  operation: string;
  durationMs: number;
  outcome: 'completed' | 'failed';
  httpStatus?: number;
  responseSha256?: string;
  error?: ExchangeError;
  /** The business outcome of a completed USI exchange (`summariseOutcome`): enumerations and counts, no personal data. */
  summary?: OutcomeSummary;
  /** The exact response, in memory only, like `ExchangeStarted.requestXml`. */
  responseXml?: string;
  /** The USI the response returned for the request's person (`issuedUsiOf`), in memory only: fingerprint it, never store it. */
  issuedUsi?: string;
}

/**
 * Wraps every exchange with one endpoint, outside the observer: what it refuses is never sent nor observed, and it
 * sees the interpreted outcome (the UsiClientError a fault or an outage became). For a circuit breaker per endpoint.
 */
export type ExchangeGuard = <T>(kind: ExchangeKind, exchange: () => Promise<T>) => Promise<T>;

/**
 * Awaited on both edges: the upstream call is made once `started` resolves (an audit trail resolves it when its record
 * is safe), and the result is returned once `finished` resolves; either rejecting fails the call.
 */
export interface ExchangeObserver {
  started(e: ExchangeStarted): Promise<void> | void;
  finished(e: ExchangeFinished): Promise<void> | void;
}
