import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCa } from '@usi/keystore';
import { WatchedChild } from './child-process';
import { freePort } from './free-port';

const MAIN = join(__dirname, '../../../../dist/apps/usi-sim/src/main.js');

/**
 * The USI simulator (the gateway's upstream) as a process of its own that can be killed and started again on the same
 * port and state dir: its CA and service key live there, so the credential and the tokens it issued stay valid.
 */
export class SimulatorProcess {
  private child?: WatchedChild;
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'usi-chaos-sim-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<SimulatorProcess> {
    const sim = new SimulatorProcess(await freePort());
    await sim.startServer();
    return sim;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The CA the simulator trusts (written to its state dir on first start). */
  ca(): TestCa {
    return TestCa.fromPem(readFileSync(join(this.stateDir, 'ca.pem'), 'utf8'));
  }

  async startServer(): Promise<void> {
    this.child = new WatchedChild(process.execPath, [MAIN, '--port', String(this.port), '--state-dir', this.stateDir, '--quiet'], {
      cwd: this.stateDir,
    });
    await this.child.waitForLine(/usi-sim listening on/, 20_000, 'usi-sim');
  }

  async stopServer(): Promise<void> {
    await this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stopServer();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
