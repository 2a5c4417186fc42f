import { AppError } from '../common/errors/app-error';
import { CircuitBreaker } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ threshold: 2, cooldownMs: 1_000, now: () => now });
  const fail = () => Promise.reject(new Error('down'));
  const counts = () => true;

  beforeEach(() => {
    now = 0;
  });

  it('opens after the threshold of counted failures and then fails fast without calling', async () => {
    const b = breaker();
    await expect(b.run(fail, counts)).rejects.toThrow('down');
    expect(b.state).toBe('closed');
    await expect(b.run(fail, counts)).rejects.toThrow('down');
    expect(b.state).toBe('open');
    const work = jest.fn(() => Promise.resolve('ok'));
    const err = await b.run(work, counts).catch((e: unknown) => e);
    expect(work).not.toHaveBeenCalled();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'upstream.unavailable', details: { retryAfterSeconds: 1 } });
  });

  it('names what it guards when it refuses', async () => {
    const b = new CircuitBreaker({ name: 'The ATO token service (STS)', threshold: 1, cooldownMs: 1_000, now: () => now });
    await b.run(fail, counts).catch(() => undefined);
    await expect(b.run(fail, counts)).rejects.toMatchObject({ message: expect.stringMatching(/^The ATO token service \(STS\) is failing/) });
  });

  it('lets one probe through after the cool-down; success closes, failure re-opens', async () => {
    const b = breaker();
    await b.run(fail, counts).catch(() => undefined);
    await b.run(fail, counts).catch(() => undefined);
    now = 1_000;
    expect(b.state).toBe('half_open');
    let release!: (v: string) => void;
    const probe = b.run(() => new Promise<string>((r) => (release = r)), counts);
    await expect(b.run(() => Promise.resolve('second'), counts)).rejects.toMatchObject({ code: 'upstream.unavailable' });
    release('ok');
    await expect(probe).resolves.toBe('ok');
    expect(b.state).toBe('closed');

    await b.run(fail, counts).catch(() => undefined);
    await b.run(fail, counts).catch(() => undefined);
    now = 2_000;
    await expect(b.run(fail, counts)).rejects.toThrow('down');
    expect(b.state).toBe('open');
  });

  it('does not count failures the caller says are answers, and they reset the streak', async () => {
    const b = breaker();
    await b.run(fail, counts).catch(() => undefined);
    await b.run(fail, () => false).catch(() => undefined);
    await b.run(fail, counts).catch(() => undefined);
    expect(b.state).toBe('closed');
  });
});
