/** Length of the window the status page reports on. */
export const WINDOW_MS = 15 * 60 * 1000;
const BUCKET_MS = 60 * 1000;
/** Durations kept per minute (reservoir sample beyond this): bounds memory and the p95 sort under any load. */
const SAMPLES_PER_BUCKET = 1024;

interface Bucket {
  start: number;
  calls: number;
  failures: number;
  outages: number;
  durations: number[];
}

export interface WindowStats {
  windowMinutes: number;
  calls: number;
  failures: number;
  /** failures / calls, null without calls. */
  errorRate: number | null;
  /** Exchanges that found the endpoint unavailable (no answer, HTTP 5xx, ErrorInfo 1001), the breaker's kind. */
  outages: number;
  p95LatencyMs: number | null;
}

/**
 * Calls, failures and latencies of one endpoint over the last 15 minutes, in one-minute buckets. In memory, per
 * gateway instance: cheap on the request path and gone on restart (the audit rows keep the durable record).
 */
export class ExchangeWindow {
  private readonly buckets: Bucket[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  record(at: number, outcome: { durationMs: number; failed: boolean; outage: boolean }): void {
    const start = at - (at % BUCKET_MS);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.start !== start) {
      bucket = { start, calls: 0, failures: 0, outages: 0, durations: [] };
      this.buckets.push(bucket);
      this.prune(at);
    }
    bucket.calls += 1;
    if (outcome.failed) bucket.failures += 1;
    if (outcome.outage) bucket.outages += 1;
    if (bucket.durations.length < SAMPLES_PER_BUCKET) bucket.durations.push(outcome.durationMs);
    else {
      const slot = Math.floor(this.random() * bucket.calls);
      if (slot < SAMPLES_PER_BUCKET) bucket.durations[slot] = outcome.durationMs;
    }
  }

  stats(now: number): WindowStats {
    this.prune(now);
    const live = this.buckets.filter((b) => b.start > now - WINDOW_MS);
    const calls = sum(live.map((b) => b.calls));
    const failures = sum(live.map((b) => b.failures));
    return {
      windowMinutes: WINDOW_MS / BUCKET_MS,
      calls,
      failures,
      errorRate: calls ? round(failures / calls, 4) : null,
      outages: sum(live.map((b) => b.outages)),
      p95LatencyMs: p95(live.flatMap((b) => b.durations)),
    };
  }

  private prune(now: number): void {
    while (this.buckets.length && this.buckets[0].start <= now - WINDOW_MS) this.buckets.shift();
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Nearest-rank 95th percentile. */
function p95(durations: number[]): number | null {
  if (!durations.length) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return Math.round(sorted[Math.ceil(0.95 * sorted.length) - 1]);
}
