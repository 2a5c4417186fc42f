import type { ChaosEnv } from './chaos-env';
import { HealthProbe, ProbeResult } from './health-probe';
import { OutcomeReport } from './outcome-report';
import { sleep } from './sleep';
import { Outcome, VerifyLoad } from './verify-load';

export interface ChaosRun {
  outcomes: Outcome[];
  probes: ProbeResult[];
  /** When the fault began and when the dependency was back (Date.now()). */
  faultAt: number;
  returnedAt: number;
  /** Whether the gateway process was alive at every point the run looked. */
  aliveThroughout: boolean;
}

/** Steady load before the fault, once the first call has succeeded. */
const WARM_UP_MS = 1_500;
const WARM_UP_LIMIT_MS = 20_000;
/** How long the load keeps running after the dependency is back: the recovery bound plus a margin to show it holds. */
const AFTER_RETURN_MS = 7_000;

/**
 * A steady verify load with health probes around one fault: warm up, `fault()` (resolves once the dependency is back),
 * then keep going long enough to see the recovery and that it lasts.
 */
export async function runChaos(
  env: ChaosEnv,
  prefix: string,
  fault: () => Promise<void>,
  /** Runs once the dependency is back, alongside the load (e.g. to time a reconnect). */
  afterReturn?: (returnedAt: number) => Promise<void>,
): Promise<ChaosRun> {
  const load = new VerifyLoad({ baseUrl: env.gateway.url, apiKey: env.tenant.apiKey, orgCode: env.tenant.orgCode, prefix });
  const probe = new HealthProbe(env.gateway.url);
  let aliveThroughout = true;
  const watch = setInterval(() => (aliveThroughout &&= env.gateway.alive), 50);
  load.start();
  probe.start();
  try {
    // The first calls pay for the token, the credential and cold code paths: wait for them, on a busy machine too.
    const warmUpDeadline = Date.now() + WARM_UP_LIMIT_MS;
    while (!load.snapshot().some(OutcomeReport.isSuccess)) {
      if (Date.now() > warmUpDeadline) throw new Error(`no successful call while warming up: ${JSON.stringify(load.snapshot().slice(0, 5))}\n${env.gateway.output()}`);
      await sleep(100);
    }
    await sleep(WARM_UP_MS);
    const faultAt = Date.now();
    await fault();
    const returnedAt = Date.now();
    const watching = afterReturn?.(returnedAt);
    // Stop early once recovered and stable for a while, but never before the recovery bound has passed.
    const deadline = returnedAt + AFTER_RETURN_MS;
    while (Date.now() < deadline) {
      await sleep(250);
      const recovered = new OutcomeReport(load.snapshot()).recoveryMs(returnedAt);
      if (recovered !== undefined && Date.now() - (returnedAt + recovered) > 3_000 && Date.now() - returnedAt > 5_000) break;
    }
    await watching;
    return { outcomes: await load.stop(), probes: await probe.stop(), faultAt, returnedAt, aliveThroughout: aliveThroughout && env.gateway.alive };
  } finally {
    clearInterval(watch);
    await Promise.all([load.stop(), probe.stop()]);
  }
}
