import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditRepository } from '../audit.repository';
import { AuditEventInput, EMPTY_AUDIT_FIELDS } from '../audit.types';

const WINDOW_MS = 60_000;
/** How often ended windows are looked for; a summary is written at most this long after its minute ends. */
const FLUSH_EVERY_MS = 5_000;
/** Addresses tracked at once; past it every window is written out early (still exact, just more rows). */
const MAX_TRACKED = 10_000;

interface FailureWindow {
  address: string;
  start: number;
  count: number;
  byCode: Record<string, number>;
  byRoute: Record<string, number>;
  firstRequestId: string;
  lastRequestId: string;
}

export interface AnonymousFailure {
  requestId: string;
  /** The problem code answered (`auth.invalid_api_key`, `request.not_found` …). */
  code: string;
  /** `METHOD /route/template`, or `METHOD (unmatched)`: never the URL, which may carry personal data. */
  route: string;
}

/**
 * Requests refused without a principal (a wrong API key, a failed login, a 404 probe …) are audited per client
 * address and minute instead of one permanent row each: a flood of them used to write a row per request (150 bad
 * keys → 150 rows; 24,742 rows in 15 s at 40 connections) and slowed everyone else's requests.
 *
 * - The first such request of an address in a minute is recorded at once, as its full inbound event, before its
 *   response (`admit` answers true): an attack is on record from its first request.
 * - The others are counted here, by code and by route, and written as one `auth.failures` security event per
 *   address and minute with the exact `count` (the first included), a few seconds after the minute ends.
 *   Nothing is written for an address that failed only once.
 *
 * Counts live in this process until they are written: a crash loses at most the last minute's summaries (the first
 * event of each address is already stored); a clean shutdown writes them. Each instance aggregates what it served,
 * so with N instances an address can have up to N first events and N summaries per minute; their counts add up to
 * the exact total.
 */
@Injectable()
export class AnonymousFailureAudit implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AnonymousFailureAudit.name);
  private readonly open = new Map<string, FailureWindow>();
  /** Windows whose minute has ended (or that were pushed out), waiting to be written. */
  private readonly ended: FailureWindow[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly repository: AuditRepository) {}

  onApplicationBootstrap(): void {
    // Per instance, not a queue job: the counts live in this process's memory (see above), so only it can write them.
    this.timer = setInterval(() => void this.flushEnded(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Before the shutdown hooks, which close the audit pool. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Counts the failure; true when it is the address's first this minute and must be recorded on its own. */
  admit(address: string, failure: AnonymousFailure, now = Date.now()): boolean {
    const start = now - (now % WINDOW_MS);
    let window = this.open.get(address);
    if (window && window.start !== start) {
      this.close(window);
      window = undefined;
    }
    if (!window) {
      if (this.open.size >= MAX_TRACKED) for (const w of [...this.open.values()]) this.close(w);
      window = { address, start, count: 0, byCode: {}, byRoute: {}, firstRequestId: failure.requestId, lastRequestId: failure.requestId };
      this.open.set(address, window);
    }
    window.count += 1;
    window.byCode[failure.code] = (window.byCode[failure.code] ?? 0) + 1;
    window.byRoute[failure.route] = (window.byRoute[failure.route] ?? 0) + 1;
    window.lastRequestId = failure.requestId;
    return window.count === 1;
  }

  /** Writes every window, the current minute's too (shutdown, tests). */
  async flush(): Promise<void> {
    for (const window of [...this.open.values()]) this.close(window);
    await this.flushEnded();
  }

  /** Writes the windows whose minute has ended, one event each, in one append. One write at a time. */
  private async flushEnded(now = Date.now()): Promise<void> {
    await this.flushing;
    for (const window of [...this.open.values()]) if (window.start + WINDOW_MS <= now) this.close(window);
    const batch = this.ended.splice(0).filter((w) => w.count > 1);
    if (!batch.length) return;
    this.flushing = this.repository
      .appendAll(batch.map(summaryEvent))
      .then(() => undefined)
      .catch((err: unknown) => {
        // Kept for the next round while there is room: a database outage should not lose the counts.
        const keep = batch.slice(0, Math.max(0, MAX_TRACKED - this.ended.length));
        this.ended.unshift(...keep);
        this.logger.error({ err, windows: batch.length, kept: keep.length }, 'audit of anonymous failures not recorded');
      })
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private close(window: FailureWindow): void {
    if (this.open.get(window.address) === window) this.open.delete(window.address);
    this.ended.push(window);
  }
}

function summaryEvent(w: FailureWindow): AuditEventInput {
  return {
    ...EMPTY_AUDIT_FIELDS,
    vendorId: null,
    organisationId: null,
    category: 'security',
    type: 'auth.failures',
    outcome: 'recorded',
    details: {
      clientAddress: w.address,
      windowStart: new Date(w.start).toISOString(),
      windowEnd: new Date(w.start + WINDOW_MS).toISOString(),
      count: w.count,
      recordedIndividually: 1,
      byCode: w.byCode,
      byRoute: w.byRoute,
      firstRequestId: w.firstRequestId,
      lastRequestId: w.lastRequestId,
    },
  };
}
