import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@usi/sim';

/** A simulator on a random port with a throw-away state dir, and a small population so start-up stays fast. */
export async function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator & { stateDir: string; stop(): Promise<void> }> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'usi-sim-'));
  const sim = await startSimulator({ port: 0, quiet: !process.env.SIM_LOG, population: 20, ...options, stateDir });
  return {
    ...sim,
    stateDir,
    stop: async () => {
      await sim.close();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
