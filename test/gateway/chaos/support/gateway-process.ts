import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchedChild } from './child-process';

const MAIN = join(__dirname, '../../../../dist/apps/gateway/src/main.js');

type Env = Record<string, string | undefined>;

/**
 * The gateway as it runs in production (`node dist/apps/gateway/src/main.js` with DATABASE_URL set), a child of the
 * test, so that "the process stayed up" is a fact the test observes rather than infers. Runs in a temporary cwd so
 * nothing lands in the checkout.
 */
export class GatewayProcess {
  private constructor(
    private readonly child: WatchedChild,
    readonly url: string,
    private readonly cwd: string,
  ) {}

  static async start(env: Env): Promise<GatewayProcess> {
    const cwd = mkdtempSync(join(tmpdir(), 'usi-chaos-gw-'));
    const childEnv: Env = { ...process.env, ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    const child = new WatchedChild(process.execPath, [MAIN], { cwd, env: childEnv as NodeJS.ProcessEnv });
    try {
      const [, url] = await child.waitForLine(/listening on (http:\/\/\S+)/, 60_000, 'gateway');
      return new GatewayProcess(child, url, cwd);
    } catch (err) {
      await child.kill();
      rmSync(cwd, { recursive: true, force: true });
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.alive;
  }

  /** How it ended, with its last output, when it did. */
  exitReport(): string | undefined {
    const exit = this.child.exit;
    return exit && `gateway exited (code ${exit.code}, signal ${exit.signal})\n${this.child.output()}`;
  }

  output(): string {
    return this.child.output();
  }

  async stop(): Promise<void> {
    await this.child.kill('SIGKILL');
    rmSync(this.cwd, { recursive: true, force: true });
  }
}
