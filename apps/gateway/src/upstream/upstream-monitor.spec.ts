import { Logger } from '@nestjs/common';
import type { ClockOffsetSample } from '@usi/client';
import { UpstreamMonitor } from './upstream-monitor';

describe(UpstreamMonitor.name, () => {
  let now: Date;
  let warn: jest.SpyInstance;
  const sample = (offsetMs: number): ClockOffsetSample => ({
    kind: 'sts',
    endpoint: 'https://sts.test/sts',
    offsetMs,
    source: 'timestamp',
    uncertaintyMs: 120,
    measuredAt: now,
  });

  beforeEach(() => {
    now = new Date('2030-01-01T00:00:00Z');
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('grades the last offset: ok up to 30 s, warning up to 4 min, skewed beyond; unknown before any reading', () => {
    const seen: number[] = [];
    const m = new UpstreamMonitor('sim', () => now, (s) => seen.push(s.offsetMs));
    expect(m.clockStatus()).toEqual({ state: 'unknown', offsetSeconds: null });
    m.recordClockOffset(sample(-29_000));
    expect(m.clockStatus()).toMatchObject({ state: 'ok', offsetSeconds: -29, uncertaintySeconds: 0.1, source: 'timestamp' });
    m.recordClockOffset(sample(31_000));
    expect(m.clockStatus().state).toBe('warning');
    m.recordClockOffset(sample(-241_000));
    expect(m.clockStatus().state).toBe('skewed');
    expect(seen).toEqual([-29_000, 31_000, -241_000]);
  });

  it('warns when the clock drifts past 30 s or 4 min, then at most every 10 minutes while it lasts', () => {
    const m = new UpstreamMonitor('sim', () => now);
    m.recordClockOffset(sample(40_000));
    m.recordClockOffset(sample(41_000));
    expect(warn).toHaveBeenCalledTimes(1);
    m.recordClockOffset(sample(300_000));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][1]).toMatch(/more than 4 minutes/);
    now = new Date(now.getTime() + 9 * 60_000);
    m.recordClockOffset(sample(300_000));
    expect(warn).toHaveBeenCalledTimes(2);
    now = new Date(now.getTime() + 60_000);
    m.recordClockOffset(sample(300_000));
    expect(warn).toHaveBeenCalledTimes(3);
    m.recordClockOffset(sample(1_000));
    expect(Logger.prototype.log).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/back within 30 s/));
    m.recordClockOffset(sample(40_000));
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('keeps the last success and failure of each endpoint and its window', () => {
    const m = new UpstreamMonitor('sim', () => now);
    m.recordExchange({ id: '1', kind: 'usi', operation: 'VerifyUSI', durationMs: 80, outcome: 'completed' });
    m.recordExchange({ id: '2', kind: 'usi', operation: 'VerifyUSI', durationMs: 5000, outcome: 'failed', error: { code: 'upstream.timeout', message: 'x' } });
    m.recordExchange({ id: '3', kind: 'usi', operation: 'VerifyUSI', durationMs: 40, outcome: 'failed', error: { code: 'usi.fault', upstreamCode: 1002, message: 'x' } });
    expect(m.activity('usi')).toEqual({
      lastSuccessAt: now.toISOString(),
      lastFailureAt: now.toISOString(),
      lastErrorCode: 'usi.fault',
      window: { windowMinutes: 15, calls: 3, failures: 2, errorRate: 0.6667, outages: 1, p95LatencyMs: 5000 },
    });
    expect(m.activity('sts')).toMatchObject({ lastSuccessAt: null, window: { calls: 0 } });
  });
});
