import { ReferenceDataCache } from './reference-data.cache';

describe(ReferenceDataCache.name, () => {
  let now = 0;
  const cache = () => new ReferenceDataCache({ ttlMs: 100, serveStaleOn: (e) => (e as Error).message === 'outage', now: () => now });

  beforeEach(() => {
    now = 0;
  });

  it('loads on a miss and serves hits within the TTL', async () => {
    const c = cache();
    const load = jest.fn().mockResolvedValue(['AU']);
    await expect(c.get('k', load)).resolves.toEqual({ value: ['AU'], state: 'miss' });
    now = 99;
    await expect(c.get('k', load)).resolves.toEqual({ value: ['AU'], state: 'hit' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('refreshes after the TTL and serves the stale copy when the refresh hits an outage', async () => {
    const c = cache();
    await c.get('k', () => Promise.resolve(['AU']));
    now = 100;
    await expect(c.get('k', () => Promise.reject(new Error('outage')))).resolves.toEqual({ value: ['AU'], state: 'stale' });
    await expect(c.get('k', () => Promise.resolve(['NZ']))).resolves.toEqual({ value: ['NZ'], state: 'miss' });
  });

  it('does not hide refusals or a first load failure', async () => {
    const c = cache();
    await expect(c.get('k', () => Promise.reject(new Error('outage')))).rejects.toThrow('outage');
    await c.get('k', () => Promise.resolve(['AU']));
    now = 200;
    await expect(c.get('k', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
