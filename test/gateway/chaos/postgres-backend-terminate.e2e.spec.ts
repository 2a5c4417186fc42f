import { createChaosEnv, ChaosEnv } from './support/chaos-env';
import { expectSurvived, MAX_RECOVERY_MS } from './support/chaos-expectations';
import { runChaos } from './support/chaos-run';
import { sleep } from './support/sleep';
import { listenerBackAfter } from './support/listener-reconnect';

const ROUNDS = 12;

/**
 * Sessions of the gateway killed one by one by the server (`pg_terminate_backend`: an administrator, a failover, an
 * idle-session reaper) while requests use them: the main pool's, the audit pool's and the cache LISTEN connection.
 * Several rounds, so some land on connections checked out mid-request.
 */
describe('chaos: the gateway’s Postgres backends terminated under load', () => {
  let env: ChaosEnv;

  beforeAll(async () => {
    env = await createChaosEnv();
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  }, 60_000);

  it('stays up, fails only the calls on those sessions with 503 database.unavailable, recovers within 5 s, audit intact', async () => {
    let terminated = 0;
    let listenerBack: number | undefined;
    const run = await runChaos(
      env,
      'pg-terminate',
      async () => {
        for (let round = 0; round < ROUNDS; round++) {
          terminated += await env.postgres.terminateBackends('usi-gateway');
          await sleep(250);
        }
      },
      async (returnedAt) => {
        listenerBack = await listenerBackAfter(env.postgres, returnedAt, MAX_RECOVERY_MS);
      },
    );
    expect(terminated).toBeGreaterThanOrEqual(ROUNDS);
    await expectSurvived(env, run, {
      prefix: 'pg-terminate',
      allowedCodes: ['database.unavailable'],
      maxFailureMs: 3_000 + 1_000,
      readyDownDuringFault: false,
    });
    // The cache-invalidation LISTEN session is back too (and has cleared the caches it guards).
    console.log(`pg-terminate: listener back after ${listenerBack} ms`);
    expect(listenerBack).toBeDefined();
    expect(listenerBack).toBeLessThanOrEqual(MAX_RECOVERY_MS);
  }, 60_000);
});
