import { parseXml, readTimestamp } from '@usi/ws-security';
import { HttpResponse } from '../http/http-transport';
import type { ExchangeKind } from './exchange-observer';

/** How far the other side's clock is from ours, read from one response. */
export interface ClockOffsetSample {
  kind: ExchangeKind;
  endpoint: string;
  /** The server's clock minus the client's (the clock that stamps our messages): positive = the server is ahead. */
  offsetMs: number;
  /**
   * `timestamp`: the response's WS-Security `u:Timestamp/u:Created` (the clock WS-Security checks); `http-date`: the
   * HTTP `Date` header (whole seconds, and possibly set by a proxy in front of the service).
   */
  source: 'timestamp' | 'http-date';
  /** Half the round trip plus the resolution of the source: the true offset is within ± this. */
  uncertaintyMs: number;
  /** By the client's clock, when the response arrived. */
  measuredAt: Date;
}

export type ClockOffsetListener = (sample: ClockOffsetSample) => void;

/** Ignore readings that cannot be a clock (a proxy's Date of 1970, a garbled header). */
const MAX_PLAUSIBLE_OFFSET_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * Compares the server time in a response with the midpoint of our send and receive times. A response that carries no
 * usable time (an HTML error page without a Date header) gives no sample. Never throws: measuring is a side issue.
 */
export function measureClockOffset(
  res: HttpResponse,
  at: { kind: ExchangeKind; endpoint: string; sentAt: Date; receivedAt: Date },
): ClockOffsetSample | undefined {
  const roundTripMs = Math.max(0, at.receivedAt.getTime() - at.sentAt.getTime());
  const midpoint = at.sentAt.getTime() + roundTripMs / 2;
  const reading = serverTime(res);
  if (!reading) return undefined;
  const offsetMs = Math.round(reading.time - midpoint);
  if (Math.abs(offsetMs) > MAX_PLAUSIBLE_OFFSET_MS) return undefined;
  return {
    kind: at.kind,
    endpoint: at.endpoint,
    offsetMs,
    source: reading.source,
    uncertaintyMs: Math.round(roundTripMs / 2 + reading.resolutionMs),
    measuredAt: at.receivedAt,
  };
}

function serverTime(res: HttpResponse): { time: number; source: ClockOffsetSample['source']; resolutionMs: number } | undefined {
  const created = timestampCreated(res.body);
  if (created !== undefined) return { time: created, source: 'timestamp', resolutionMs: created % 1000 === 0 ? 1000 : 1 };
  const header = res.headers.date ?? res.headers.Date;
  const date = header ? Date.parse(header) : NaN;
  // The header is whole seconds, truncated: the server's time was somewhere in the second that follows.
  return Number.isNaN(date) ? undefined : { time: date + 500, source: 'http-date', resolutionMs: 500 };
}

function timestampCreated(body: string): number | undefined {
  if (!body.includes('Timestamp')) return undefined;
  try {
    return readTimestamp(parseXml(body)).created.getTime();
  } catch {
    return undefined;
  }
}
