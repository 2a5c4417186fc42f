import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCredential } from '@usi/keystore';
import { RunningSimulator, startSimulator } from '@usi/sim';
import { resolveEndpoints, UsiClient, UsiClientError } from '@usi/client';

/** Smoke test: the real client, transport and signing against the in-process simulator (3PT seed: VA1803). */
describe('UsiClient against the simulator', () => {
  let sim: RunningSimulator;
  let client: UsiClient;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'usi-client-smoke-'));
    sim = await startSimulator({ port: 0, stateDir, quiet: true });
    client = new UsiClient({ endpoints: resolveEndpoints('sim', { simUrl: sim.url }), timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await client?.close();
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function credential() {
    const xml = sim.admin.issueKeystore({ abn: '27809366375', name: 'USIMachine', password: 'pw' });
    return loadCredential(xml, { password: 'pw' });
  }

  it('verifies a seeded 3PT USI with a token from the simulator STS, reusing the token', async () => {
    const ctx = { credential: credential() };
    const req = { orgCode: 'VA1803', usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };
    await expect(client.verifyUsi(ctx, req)).resolves.toMatchObject({ usiStatus: 'Valid' });
    const second = await client.acquireToken(ctx);
    expect(second.hit).toBe(true);
    await expect(client.getCountries(ctx, { orgCode: 'VA1803' })).resolves.toMatchObject({ countries: expect.any(Array) });
  });

  it('surfaces a business fault as usi.fault with ErrorInfo', async () => {
    const err = await client.getCountries({ credential: credential() }, { orgCode: 'ZZ9999' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsiClientError);
    expect((err as UsiClientError).code).toBe('usi.fault');
    expect((err as UsiClientError).details?.errors).toEqual([expect.objectContaining({ code: expect.any(Number), title: expect.any(String) })]);
  });
});
