import { auditViolations } from './audit-invariant';
import type { ChaosEnv } from './chaos-env';
import type { ChaosRun } from './chaos-run';
import type { ProbeResult } from './health-probe';
import { OutcomeReport } from './outcome-report';

export interface SurvivalExpectations {
  prefix: string;
  /** Problem codes a client may get while the dependency is out (besides 2xx). */
  allowedCodes: readonly string[];
  /** No failed call may take longer than this (the deadline that applies, plus scheduling slack). */
  maxFailureMs: number;
  /** Whether /health/ready must have said 503 while the dependency was out. */
  readyDownDuringFault: boolean;
}

/** Bound from the issue: calls succeed again within 5 s of the dependency's return, without a restart. */
export const MAX_RECOVERY_MS = 5_000;

/**
 * The checks every chaos scenario makes: the process never exited and /health/live always answered 200; clients got
 * only 2xx or the allowed problem codes, never a 500, a refused connection or a hang; calls succeed again, and
 * /health/ready says 200 again, within MAX_RECOVERY_MS of the dependency's return; the audit invariant holds.
 */
export async function expectSurvived(env: ChaosEnv, run: ChaosRun, expected: SurvivalExpectations): Promise<void> {
  const report = new OutcomeReport(run.outcomes);
  const ready = run.probes.filter((p) => p.path === '/health/ready');
  const summary = {
    calls: report.tally(),
    recoveryMs: report.recoveryMs(run.returnedAt),
    readyBackMs: readyBackMs(ready, run.returnedAt),
    slowestFailureMs: report.slowestMs('failure'),
    slowestCallMs: report.slowestMs('any'),
    faultMs: run.returnedAt - run.faultAt,
  };
  // The measured figures, in the test output for the record.
  console.log(`${expected.prefix}: ${JSON.stringify(summary)}`);

  expect(env.gateway.exitReport()).toBeUndefined();
  expect(run.aliveThroughout).toBe(true);
  const live = run.probes.filter((p) => p.path === '/health/live');
  expect(live.length).toBeGreaterThan(0);
  expect(live.filter((p) => p.status !== 200)).toEqual([]);

  const unexpected = report.unexpected(expected.allowedCodes);
  if (unexpected.length) console.log(`${expected.prefix}: unexpected answers; gateway output:\n${env.gateway.output()}`);
  expect(unexpected).toEqual([]);
  expect(summary.slowestFailureMs).toBeLessThanOrEqual(expected.maxFailureMs);
  expect(summary.recoveryMs).toBeDefined();
  expect(summary.recoveryMs).toBeLessThanOrEqual(MAX_RECOVERY_MS);

  const readyDuring = ready.filter((p) => p.at >= run.faultAt && p.at < run.returnedAt);
  if (expected.readyDownDuringFault) expect(readyDuring.some((p) => p.status === 503)).toBe(true);
  expect(ready.filter((p) => p.status === undefined)).toEqual([]);
  expect(summary.readyBackMs).toBeDefined();
  expect(summary.readyBackMs).toBeLessThanOrEqual(MAX_RECOVERY_MS);

  expect(await auditViolations(env.tenant.ownerUrl, expected.prefix, run.outcomes)).toEqual([]);
}

/** From `returnedAt` until the probe that began the final run of 200s; undefined if readiness never came back. */
function readyBackMs(ready: ProbeResult[], returnedAt: number): number | undefined {
  const lastDown = ready.reduce((at, p) => (p.status === 200 ? at : p.at), -Infinity);
  const back = ready.find((p) => p.at > lastDown && p.status === 200);
  return back && Math.max(0, back.at - returnedAt);
}
