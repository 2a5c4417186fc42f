import { createChaosEnv, ChaosEnv } from './support/chaos-env';
import { expectSurvived } from './support/chaos-expectations';
import { runChaos } from './support/chaos-run';
import { sleep } from './support/sleep';
import { redisServerAvailable } from './support/private-redis';

const describeWithRedis = redisServerAvailable() ? describe : describe.skip;

/**
 * With REDIS_URL set, the rate limits live in Redis. Redis killed for 5 s and started again (empty, as it has no
 * persistence): the limiter lets requests through while it cannot ask (after its 1 s deadline), readiness reports
 * the queue backend down, and nothing else changes.
 */
describeWithRedis('chaos: Redis killed under load and started again 5 s later (REDIS_URL set)', () => {
  let env: ChaosEnv;

  beforeAll(async () => {
    env = await createChaosEnv({ redis: true, env: { RATE_LIMIT_LEASE_FRACTION: '0' } });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  }, 60_000);

  it('stays up, keeps answering, recovers within 5 s, audit intact', async () => {
    const run = await runChaos(env, 'redis-stop', async () => {
      await env.redis!.stopServer();
      await sleep(5_000);
      await env.redis!.startServer();
    });
    await expectSurvived(env, run, {
      prefix: 'redis-stop',
      allowedCodes: [],
      maxFailureMs: 3_000,
      readyDownDuringFault: true,
    });
  }, 60_000);
});
