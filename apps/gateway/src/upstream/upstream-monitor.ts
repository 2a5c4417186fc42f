import { Logger } from '@nestjs/common';
import type { ClockOffsetSample, ExchangeFinished, ExchangeKind } from '@usi/client';
import type { Clock } from '../common/clock';
import { ExchangeWindow, WindowStats } from './exchange-window';

/** Beyond this a warning is logged: still accepted, but drifting. */
export const CLOCK_WARN_MS = 30_000;
/** Beyond this readiness fails: WCF's default MaxClockSkew is 5 min, so timestamps are about to be refused. */
export const CLOCK_FAIL_MS = 4 * 60_000;
/** A persisting warning is repeated at most this often. */
const CLOCK_LOG_INTERVAL_MS = 10 * 60_000;

export type ClockState = 'unknown' | 'ok' | 'warning' | 'skewed';

export interface ClockStatus {
  state: ClockState;
  /** Upstream clock minus ours (positive: the ATO is ahead), null before any STS answer carried a time. */
  offsetSeconds: number | null;
  uncertaintySeconds?: number;
  source?: ClockOffsetSample['source'];
  endpoint?: string;
  measuredAt?: string;
}

export interface EndpointActivity {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorCode: string | null;
  window: WindowStats;
}

/** Error codes that mean "the endpoint did not answer properly" (what the circuit breakers count). */
function isOutage(e: ExchangeFinished): boolean {
  const code = e.error?.code;
  if (code === 'upstream.unavailable' || code === 'upstream.timeout') return true;
  if (code === 'upstream.http_error' || code === 'upstream.bad_response') return (e.httpStatus ?? 0) >= 500;
  return code === 'usi.fault' && e.error?.upstreamCode === 1001;
}

/**
 * What this instance has seen of its upstream environment: every STS and USI exchange (last success and failure,
 * 15-minute window) and the STS clock offset. Fed by the shared UsiClient (observer and `onClockOffset`), read by
 * the status routes, readiness and the metrics gauge.
 */
export class UpstreamMonitor {
  private readonly logger = new Logger('UpstreamClock');
  private readonly windows: Record<ExchangeKind, ExchangeWindow> = { sts: new ExchangeWindow(), usi: new ExchangeWindow() };
  private readonly last: Record<ExchangeKind, { success?: Date; failure?: Date; errorCode?: string }> = { sts: {}, usi: {} };
  private sample?: ClockOffsetSample;
  private warnedAt?: number;
  private warnedState?: ClockState;
  private versionOutdatedAt?: Date;

  constructor(
    readonly environment: string,
    private readonly clock: Clock,
    private readonly onOffset?: (sample: ClockOffsetSample) => void,
  ) {}

  recordExchange(e: ExchangeFinished): void {
    const now = this.clock();
    const failed = e.outcome === 'failed';
    this.windows[e.kind].record(now.getTime(), { durationMs: e.durationMs, failed, outage: failed && isOutage(e) });
    const last = this.last[e.kind];
    if (failed) {
      last.failure = now;
      last.errorCode = e.error?.code;
    } else last.success = now;
  }

  recordClockOffset(sample: ClockOffsetSample): void {
    this.sample = sample;
    this.onOffset?.(sample);
    const status = this.clockStatus();
    const now = this.clock().getTime();
    if (status.state === 'warning' || status.state === 'skewed') {
      const worse = this.warnedState !== status.state;
      if (worse || this.warnedAt === undefined || now - this.warnedAt >= CLOCK_LOG_INTERVAL_MS) {
        this.logger.warn(
          { offsetSeconds: status.offsetSeconds, source: status.source, endpoint: status.endpoint, environment: this.environment },
          status.state === 'skewed'
            ? 'gateway clock is more than 4 minutes from the ATO token service: WS-Security timestamps will be refused; fix NTP'
            : 'gateway clock is more than 30 s from the ATO token service; check NTP',
        );
        this.warnedAt = now;
        this.warnedState = status.state;
      }
    } else if (this.warnedState) {
      this.logger.log({ offsetSeconds: status.offsetSeconds, environment: this.environment }, 'gateway clock back within 30 s of the ATO token service');
      this.warnedAt = undefined;
      this.warnedState = undefined;
    }
  }

  recordVersionOutdated(): void {
    this.versionOutdatedAt = this.clock();
  }

  get lastVersionOutdatedAt(): Date | undefined {
    return this.versionOutdatedAt;
  }

  /** The latest reading wins: a clock that was fixed clears the state with the next STS answer. */
  clockStatus(): ClockStatus {
    const s = this.sample;
    if (!s) return { state: 'unknown', offsetSeconds: null };
    const abs = Math.abs(s.offsetMs);
    return {
      state: abs > CLOCK_FAIL_MS ? 'skewed' : abs > CLOCK_WARN_MS ? 'warning' : 'ok',
      offsetSeconds: Math.round(s.offsetMs / 100) / 10,
      uncertaintySeconds: Math.round(s.uncertaintyMs / 100) / 10,
      source: s.source,
      endpoint: s.endpoint,
      measuredAt: s.measuredAt.toISOString(),
    };
  }

  /** Offset in ms of the last reading, for error mapping (an InvalidSecurity from USI explained by the clock). */
  get clockOffsetMs(): number | undefined {
    return this.sample?.offsetMs;
  }

  activity(kind: ExchangeKind): EndpointActivity {
    const last = this.last[kind];
    return {
      lastSuccessAt: last.success?.toISOString() ?? null,
      lastFailureAt: last.failure?.toISOString() ?? null,
      lastErrorCode: last.errorCode ?? null,
      window: this.windows[kind].stats(this.clock().getTime()),
    };
  }
}
