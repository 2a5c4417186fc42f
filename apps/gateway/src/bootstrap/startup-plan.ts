import { BootstrapError } from './bootstrap.error';

type Env = Record<string, string | undefined>;

export interface StartupPlan {
  /** No DATABASE_URL: embedded Postgres under ./.data, migrations as its owner, demo seed on by default. */
  selfContained: boolean;
  /** The simulator runs inside this process (self-contained mode talking to USI_ENV=sim). */
  inProcessSimulator: boolean;
  /** Variables layered over the environment before the configuration is loaded. */
  defaults: Env;
}

/**
 * Decides what `npm start` brings up from the environment alone. A database URL means production
 * behaviour: nothing is started or seeded on the operator's behalf, and a missing simulator URL is an error
 * rather than a silent connection to a default port.
 */
export function planStartup(env: Env): StartupPlan {
  const usiEnv = env.USI_ENV || 'sim';
  if (env.DATABASE_URL) {
    if (usiEnv === 'sim' && !env.USI_SIM_URL) {
      throw new BootstrapError(
        'bootstrap.sim_url_missing',
        'USI_ENV=sim (the default) needs USI_SIM_URL when DATABASE_URL is set: start one with `npm run sim` and set ' +
          'USI_SIM_URL=http://127.0.0.1:7300, choose USI_ENV=3pt|production, or unset DATABASE_URL for the self-contained demo',
      );
    }
    return { selfContained: false, inProcessSimulator: false, defaults: {} };
  }
  return {
    selfContained: true,
    inProcessSimulator: usiEnv === 'sim' && !env.USI_SIM_URL,
    defaults: { DEMO_SEED: 'true' },
  };
}
