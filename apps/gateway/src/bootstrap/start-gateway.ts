import type { NestExpressApplication } from '@nestjs/platform-express';
import { RunningSimulator, startSimulator } from '@usi/sim';
import { AppConfig, loadConfig } from '../config/app-config';
import { bootstrapGateway } from '../create-app';
import { migrate } from '../database/migrate';


import { MetricsListener } from '../metrics/metrics-listener';
import { BannerExtras, formatDemoBanner } from './demo-banner';
import { DemoInfo, readDemoFile, writeDemoFile } from './demo-file';
import { DemoSeedService } from './demo-seed.service';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { exitOnSignals } from './graceful-shutdown';
import { planStartup } from './startup-plan';

type Env = Record<string, string | undefined>;

export const DEFAULT_GATEWAY_PORT = 3000;
export const SIMULATOR_STATE_DIR = './.data/usi-sim';
/** Only to validate the other variables before Postgres exists; never connected to. */
const PLACEHOLDER_DATABASE_URL = 'postgres://placeholder@127.0.0.1:1/placeholder';

export interface StartedGateway {
  url: string;
  config: AppConfig;
  simulator?: RunningSimulator;
  /** Closes the app, the simulator and the embedded Postgres, in that order. */
  close(): Promise<void>;
}

/**
 * `npm start`: production behaviour with DATABASE_URL; without it a self-contained demo (embedded Postgres,
 * in-process simulator, seeded tenant) so a fresh clone answers requests with no setup at all.
 */
export async function startGateway(env: Env, log: (line: string) => void): Promise<StartedGateway> {
  const plan = planStartup(env);
  const early = loadConfig({ ...plan.defaults, ...env, DATABASE_URL: env.DATABASE_URL ?? PLACEHOLDER_DATABASE_URL });
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };

  try {
    const overrides: Env = { ...plan.defaults };
    if (plan.selfContained) {
      const pg = await startEmbeddedPostgres({
        binDir: early.embeddedPostgres.binDir,
        binSource: early.embeddedPostgres.binSource,
        log: (line) => log(`postgres: ${line}`),
      });
      pg.stopOnProcessExit();
      closers.push(() => pg.stop());
      const ran = await migrate({ migrationUrl: pg.url, appRole: early.database.appRole });
      log(`migrations: ${ran.length ? ran.join(', ') : 'up to date'}`);
      overrides.DATABASE_MIGRATION_URL = pg.url;
      overrides.DATABASE_URL = await pg.loginUrl(early.database.appRole);
      // A busy default port should not stop a demo; an explicit PORT is honoured or fails.
      if (!env.PORT) {
        const port = await freePort(DEFAULT_GATEWAY_PORT, 'the gateway', early.host);
        if (port !== DEFAULT_GATEWAY_PORT) log(`port ${DEFAULT_GATEWAY_PORT} is busy: the gateway takes ${port} (the banner and .data/demo.json say so)`);
        overrides.PORT = String(port);
      }
    }

    const simulator = plan.inProcessSimulator
      ? await startSimulator({ port: early.simulatorPort, stateDir: SIMULATOR_STATE_DIR, quiet: true })
      : undefined;
    if (simulator) {
      closers.push(() => simulator.close());
      overrides.USI_ENV = 'sim';
      overrides.USI_SIM_URL = simulator.url;
    }

    const config = loadConfig({ ...env, ...overrides });
    const { app, url } = await bootstrapGateway(config);
    closers.push(() => app.close());
    exitOnSignals(close, log);

    if (config.demoSeed) {
      const info = await seedDemo(app, url, simulator);
      const demoFile = writeDemoFile(info);
      log(formatDemoBanner(info, { simulatorUrl: simulator?.url, demoFile, metrics: metricsOf(app, url, config) }));
    } else {
      log(`USI Gateway listening on ${url}`);
    }
    return { url, config, simulator, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

function metricsOf(app: NestExpressApplication, url: string, config: AppConfig): BannerExtras['metrics'] {
  const base = config.metrics.port === undefined ? url : app.get(MetricsListener).url;
  return base ? { url: `${base}/metrics`, guard: config.metrics.token ? 'token' : 'open' } : undefined;
}

function seedDemo(app: NestExpressApplication, baseUrl: string, simulator?: RunningSimulator): Promise<DemoInfo> {
  return DemoSeedService.fromApp(app).seed({ baseUrl, ca: simulator?.ca, previous: readDemoFile() });
}
