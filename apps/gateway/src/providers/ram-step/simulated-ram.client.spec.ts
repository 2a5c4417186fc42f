import type { AppConfig } from '../../config/app-config';
import { SimulatedRamClient } from './simulated-ram.client';

const clientFor = (env: AppConfig['usi']['env']) => new SimulatedRamClient({ usi: { env, simUrl: 'http://127.0.0.1:9' } } as AppConfig);
const input = { orgCode: 'VA1802', providerAbn: '96312011219', legalName: 'X', vendorAbn: '11000002568', softwareId: '0000123400' };

describe('SimulatedRamClient: the simulated RAM exists only with the simulator', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it.each(['3pt', 'production'] as const)('is not offered with %s, and refuses before any request', async (env) => {
    const fetch = jest.fn();
    global.fetch = fetch;
    const client = clientFor(env);
    expect(client.available).toBe(false);
    await expect(client.addNotification(input)).rejects.toMatchObject({ code: 'provider.simulator_only' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('registers the organisation, then the notification, with the simulator', async () => {
    const fetch = jest.fn().mockResolvedValue({ ok: true, status: 201 });
    global.fetch = fetch;
    const client = clientFor('sim');
    expect(client.available).toBe(true);
    await client.addNotification(input);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['http://127.0.0.1:9/admin/organisations', 'http://127.0.0.1:9/admin/notifications']);
  });
});
