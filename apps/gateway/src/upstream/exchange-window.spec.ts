import { ExchangeWindow } from './exchange-window';

describe(ExchangeWindow.name, () => {
  const T0 = Date.UTC(2030, 0, 1);
  const minute = 60_000;

  it('counts calls, failures and outages and gives the p95 latency of the last 15 minutes', () => {
    const w = new ExchangeWindow();
    for (let i = 1; i <= 100; i++) w.record(T0 + i * 1000, { durationMs: i, failed: i % 10 === 0, outage: i === 50 });
    expect(w.stats(T0 + 2 * minute)).toEqual({ windowMinutes: 15, calls: 100, failures: 10, errorRate: 0.1, outages: 1, p95LatencyMs: 95 });
  });

  it('forgets what is older than 15 minutes', () => {
    const w = new ExchangeWindow();
    w.record(T0, { durationMs: 500, failed: true, outage: true });
    w.record(T0 + 10 * minute, { durationMs: 20, failed: false, outage: false });
    expect(w.stats(T0 + 14 * minute)).toMatchObject({ calls: 2, failures: 1 });
    expect(w.stats(T0 + 16 * minute)).toMatchObject({ calls: 1, failures: 0, errorRate: 0, p95LatencyMs: 20 });
    expect(w.stats(T0 + 30 * minute)).toEqual({ windowMinutes: 15, calls: 0, failures: 0, errorRate: null, outages: 0, p95LatencyMs: null });
  });

  it('keeps a bounded sample of durations per minute under load', () => {
    const w = new ExchangeWindow(() => 0.999);
    for (let i = 0; i < 5000; i++) w.record(T0 + 1, { durationMs: 10, failed: false, outage: false });
    expect(w.stats(T0 + 2)).toMatchObject({ calls: 5000, p95LatencyMs: 10 });
  });
});
