import type { Outcome } from './verify-load';

const PROBLEM_JSON = /^application\/problem\+json/;

/** What the clients of one chaos run got, summarised for the assertions and the record. */
export class OutcomeReport {
  private readonly sorted: Outcome[];

  constructor(outcomes: Outcome[]) {
    this.sorted = [...outcomes].sort((a, b) => a.startedAt - b.startedAt);
  }

  static isSuccess(o: Outcome): boolean {
    return o.status !== undefined && o.status >= 200 && o.status < 300;
  }

  /**
   * Answers a client may get while a dependency is out: a 2xx, or a problem+json 5xx other than 500 whose code is one
   * of `allowed`. Everything else (a 500, another code, a refused or reset connection, a timeout) is returned.
   */
  unexpected(allowed: readonly string[]): Outcome[] {
    return this.sorted.filter((o) => {
      if (OutcomeReport.isSuccess(o)) return false;
      if (o.status === undefined || o.status <= 500) return true;
      return !(PROBLEM_JSON.test(o.contentType ?? '') && o.code !== undefined && allowed.includes(o.code));
    });
  }

  /** `{ "200": 80, "503 database.unavailable": 12, ... }`. */
  tally(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.sorted) {
      const key = o.error ? `error ${o.error}` : OutcomeReport.isSuccess(o) ? String(o.status) : `${o.status} ${o.code ?? '(no code)'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Milliseconds from `returnedAt` (the dependency is back) until the first success of the final unbroken run of
   * successes was answered; 0 when nothing failed after `returnedAt`; undefined when the calls never succeeded again.
   */
  recoveryMs(returnedAt: number): number | undefined {
    let lastFailure = -1;
    this.sorted.forEach((o, i) => {
      if (!OutcomeReport.isSuccess(o)) lastFailure = i;
    });
    const firstOfRun = this.sorted[lastFailure + 1];
    return firstOfRun && Math.max(0, firstOfRun.endedAt - returnedAt);
  }

  /** The longest a client waited for an answer that was not a success, and for any answer. */
  slowestMs(which: 'failure' | 'any'): number {
    const of = which === 'any' ? this.sorted : this.sorted.filter((o) => !OutcomeReport.isSuccess(o));
    return Math.max(0, ...of.map((o) => o.endedAt - o.startedAt));
  }
}
