import { MARYAM } from '../../usi/support/usi-requests';
import { ChaosTenant, seedChaosTenant } from './chaos-tenant';
import { GatewayProcess } from './gateway-process';
import { PrivatePostgres } from './private-postgres';
import { PrivateRedis } from './private-redis';
import { SimulatorProcess } from './simulator-process';
import { sleep } from './sleep';

export interface ChaosEnv {
  postgres: PrivatePostgres;
  simulator: SimulatorProcess;
  redis?: PrivateRedis;
  tenant: ChaosTenant;
  gateway: GatewayProcess;
  close(): Promise<void>;
}

/** Deadlines short enough for a test to see them, and limits high enough that the load is never rate limited. */
export const CHAOS_GATEWAY_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  USI_ENV: 'sim',
  USI_TIMEOUT_MS: '5000',
  USI_RETRY_BASE_MS: '50',
  DATABASE_ACQUIRE_TIMEOUT_MS: '3000',
  DATABASE_STATEMENT_TIMEOUT_MS: '5000',
  RATE_LIMIT_VENDOR_PER_MINUTE: '1000000',
  RATE_LIMIT_ORG_PER_MINUTE: '1000000',
} as const;

/**
 * Everything the gateway depends on, private to one test file so it can be broken: a Postgres cluster, the USI
 * simulator as a process, optionally a redis-server (then the gateway gets REDIS_URL), and the gateway process.
 */
export async function createChaosEnv(options: { redis?: boolean; env?: Record<string, string> } = {}): Promise<ChaosEnv> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const postgres = await PrivatePostgres.start();
    closers.push(() => postgres.destroy());
    const simulator = await SimulatorProcess.start();
    closers.push(() => simulator.destroy());
    const redis = options.redis ? await PrivateRedis.start() : undefined;
    if (redis) closers.push(() => redis.destroy());
    const tenant = await seedChaosTenant(postgres.ownerUrl, { url: simulator.url, ca: simulator.ca() });
    const gateway = await GatewayProcess.start({
      ...CHAOS_GATEWAY_ENV,
      DATABASE_URL: tenant.appUrl,
      DATABASE_MIGRATION_URL: tenant.ownerUrl,
      USI_SIM_URL: simulator.url,
      MASTER_KEY: tenant.masterKey,
      REDIS_URL: redis?.url,
      ...options.env,
    });
    closers.push(() => gateway.stop());
    await warmUp(gateway.url, tenant);
    return { postgres, simulator, redis, tenant, gateway, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * One successful verify before any load: the first call pays for the STS token, the credential's decryption and
 * cold code, which on a busy machine can take longer than the upstream deadline the scenarios keep short.
 */
async function warmUp(baseUrl: string, tenant: ChaosTenant): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/v1/organisations/${tenant.orgCode}/usi/verify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(MARYAM),
    });
    last = `${res.status} ${await res.text()}`;
    if (res.ok) return;
    await sleep(500);
  }
  throw new Error(`the gateway never answered a verify: ${last}`);
}
