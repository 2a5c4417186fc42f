import { ApiKeyService } from '@gateway/auth/api-keys/api-key.service';
import { DemoSeedService } from '@gateway/bootstrap/demo-seed.service';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

describe('demo seed across restarts', () => {
  let gw: GatewayTestApp;
  const seed = (previous?: Awaited<ReturnType<DemoSeedService['seed']>>) =>
    DemoSeedService.fromApp(gw.app).seed({ baseUrl: 'http://127.0.0.1:3000', previous });

  beforeAll(async () => {
    gw = await createGatewayApp();
  });
  afterAll(async () => gw?.close());

  it('keeps the API key and passwords of demo.json while they work, so a second npm start changes nothing', async () => {
    const first = await seed();
    const second = await seed(first);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.users).toEqual(first.users);
    await expect(gw.app.get(ApiKeyService).authenticate(second.apiKey)).resolves.toMatchObject({ kind: 'api_key' });
  });

  it('makes a new key, and revokes the old demo keys, when the one in demo.json no longer works', async () => {
    const first = await seed();
    const apiKeys = gw.app.get(ApiKeyService);
    const principal = await apiKeys.authenticate(first.apiKey);
    await apiKeys.revoke(principal.vendorId!, principal.actorId.replace(/^api_key:/, ''));

    const next = await seed(first);
    expect(next.apiKey).not.toBe(first.apiKey);
    await expect(apiKeys.authenticate(next.apiKey)).resolves.toBeDefined();
    const forged = await seed({ ...first, apiKey: 'usi_test_00000000_not-a-real-key' });
    expect(forged.apiKey).not.toBe('usi_test_00000000_not-a-real-key');
    await expect(apiKeys.authenticate(next.apiKey)).rejects.toBeDefined();
  });
});
