import { FaultInjector } from './fault-injector';

const sample = (injector: FaultInjector, n: number) =>
  Array.from({ length: n }, () => injector.plan({ kind: 'usi', operation: 'VerifyUSI' }));

describe('FaultInjector', () => {
  it('replays the same plans for the same seed, and different ones for another seed', () => {
    const config = { seed: 42, operations: { VerifyUSI: { errorRate: 0.5, latency: { minMs: 0, maxMs: 1000 } } } };
    const a = new FaultInjector();
    const b = new FaultInjector();
    const c = new FaultInjector();
    a.set(config);
    b.set(config);
    c.set({ ...config, seed: 43 });
    const planA = sample(a, 50);
    expect(sample(b, 50)).toEqual(planA);
    expect(sample(c, 50)).not.toEqual(planA);
    const errors = planA.filter((p) => p.errorCode === 1001).length;
    expect(errors).toBeGreaterThan(10);
    expect(errors).toBeLessThan(40);
  });

  it('applies per-operation rules over global ones and leaves other operations alone', () => {
    const injector = new FaultInjector();
    injector.set({ global: { latency: { fixedMs: 5 } }, operations: { GetCountries: { errorRate: 1, errorCode: 3001 } } });
    expect(injector.plan({ kind: 'usi', operation: 'GetCountries' })).toEqual({ delayMs: 5, errorCode: 3001 });
    expect(injector.plan({ kind: 'usi', operation: 'VerifyUSI' })).toEqual({ delayMs: 5 });
    expect(injector.plan({ kind: 'sts' })).toEqual({ delayMs: 5 });
  });

  it('never turns an error rate into an STS ErrorInfo, and reports transport failures with their hang time', () => {
    const injector = new FaultInjector();
    injector.set({ global: { errorRate: 1 }, sts: { failure: 'hang', hangMs: 50 } });
    expect(injector.plan({ kind: 'sts' })).toEqual({ delayMs: 0, failure: 'hang', hangMs: 50 });
  });

  it('samples normal latency around the mean and never below zero', () => {
    const injector = new FaultInjector();
    injector.set({ seed: 7, global: { latency: { meanMs: 100, stdDevMs: 20 } } });
    const delays = sample(injector, 400).map((p) => p.delayMs);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(90);
    expect(mean).toBeLessThan(110);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
  });

  it('rejects invalid configurations and clears back to no faults', () => {
    const injector = new FaultInjector();
    expect(() => injector.set({ global: { errorRate: 2 } })).toThrow();
    expect(() => injector.set({ operations: { NoSuchOp: {} } })).toThrow();
    expect(() => injector.set({ global: { latency: { minMs: 10, maxMs: 5 } } })).toThrow();
    injector.set({ global: { clockSkewMs: 60_000 } });
    expect(injector.clockSkewMs({ kind: 'sts' })).toBe(60_000);
    injector.clear();
    expect(injector.clockSkewMs({ kind: 'sts' })).toBe(0);
    expect(injector.current()).toEqual({});
  });
});
