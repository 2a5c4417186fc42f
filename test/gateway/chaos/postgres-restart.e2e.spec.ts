import { createChaosEnv, ChaosEnv } from './support/chaos-env';
import { expectSurvived, MAX_RECOVERY_MS } from './support/chaos-expectations';
import { runChaos } from './support/chaos-run';
import { sleep } from './support/sleep';
import { listenerBackAfter } from './support/listener-reconnect';

/** The outage of issue 13: the whole server gone at once (every backend killed without a word), then back. */
describe('chaos: Postgres stopped with -m immediate under load and started again 5 s later', () => {
  let env: ChaosEnv;

  beforeAll(async () => {
    env = await createChaosEnv();
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  }, 60_000);

  it('stays up, answers 503 database.unavailable meanwhile, recovers within 5 s, audit intact', async () => {
    let listenerBack: number | undefined;
    const run = await runChaos(
      env,
      'pg-stop',
      async () => {
        await env.postgres.stopServer('immediate');
        await sleep(5_000);
        await env.postgres.startServer();
      },
      async (returnedAt) => {
        listenerBack = await listenerBackAfter(env.postgres, returnedAt, MAX_RECOVERY_MS);
      },
    );
    await expectSurvived(env, run, {
      prefix: 'pg-stop',
      allowedCodes: ['database.unavailable'],
      // DATABASE_ACQUIRE_TIMEOUT_MS in CHAOS_GATEWAY_ENV, plus slack for a busy machine.
      maxFailureMs: 3_000 + 1_000,
      readyDownDuringFault: true,
    });
    // The cache-invalidation LISTEN session is back too (and has cleared the caches it guards).
    console.log(`pg-stop: listener back after ${listenerBack} ms`);
    expect(listenerBack).toBeDefined();
    expect(listenerBack).toBeLessThanOrEqual(MAX_RECOVERY_MS);
  }, 60_000);
});
