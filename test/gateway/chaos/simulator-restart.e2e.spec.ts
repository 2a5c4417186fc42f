import { createChaosEnv, ChaosEnv } from './support/chaos-env';
import { expectSurvived } from './support/chaos-expectations';
import { runChaos } from './support/chaos-run';
import { sleep } from './support/sleep';

/**
 * The upstream (the USI simulator process) killed for 5 s and started again on the same port and state, so the
 * credential and the cached token stay valid. Calls fail with the upstream problem codes meanwhile; the circuit
 * breaker's cool-down is shortened to 1 s here (30 s by default, which would itself hold calls back for 30 s after
 * the registry returned: a deliberate trade-off, not the recovery under test).
 */
describe('chaos: the USI simulator killed under load and started again 5 s later', () => {
  let env: ChaosEnv;

  beforeAll(async () => {
    env = await createChaosEnv({ env: { USI_BREAKER_COOLDOWN_MS: '1000' } });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  }, 60_000);

  it('stays up, answers upstream problems meanwhile, recovers within 5 s, audit intact', async () => {
    const run = await runChaos(env, 'sim-stop', async () => {
      await env.simulator.stopServer();
      await sleep(5_000);
      await env.simulator.startServer();
    });
    await expectSurvived(env, run, {
      prefix: 'sim-stop',
      allowedCodes: ['upstream.unavailable', 'upstream.timeout'],
      // USI_TIMEOUT_MS in CHAOS_GATEWAY_ENV, plus slack.
      maxFailureMs: 5_000 + 1_000,
      readyDownDuringFault: false,
    });
  }, 60_000);
});
