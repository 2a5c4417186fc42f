import type { UsiOperation } from '@usi/contract';

export interface CounterSnapshot {
  sts: number;
  usi: Partial<Record<UsiOperation | 'unknown', number>>;
  total: number;
}

/** Requests received per endpoint, counted before any fault is applied (admin calls are not counted). */
export class RequestCounters {
  private sts = 0;
  private usi = new Map<UsiOperation | 'unknown', number>();

  countSts(): void {
    this.sts += 1;
  }

  countUsi(operation: UsiOperation | undefined): void {
    const key = operation ?? 'unknown';
    this.usi.set(key, (this.usi.get(key) ?? 0) + 1);
  }

  snapshot(): CounterSnapshot {
    const usi = Object.fromEntries(this.usi) as CounterSnapshot['usi'];
    const usiTotal = [...this.usi.values()].reduce((a, b) => a + b, 0);
    return { sts: this.sts, usi, total: this.sts + usiTotal };
  }

  reset(): void {
    this.sts = 0;
    this.usi.clear();
  }
}
