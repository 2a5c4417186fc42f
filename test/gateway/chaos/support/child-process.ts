import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

const KEPT_LINES = 200;

/**
 * A child process whose output is kept (the last lines, for failure messages) and whose exit is observable: the
 * chaos suites assert that the gateway's process never ends on its own.
 */
export class WatchedChild {
  readonly child: ChildProcess;
  /** Set once the process has exited, by itself or killed. */
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  private readonly lines: string[] = [];
  private readonly exited: Promise<void>;
  private readonly waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];

  constructor(file: string, args: string[], options: SpawnOptions) {
    this.child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) this.onLine(line);
      });
    }
    // A test run that ends without its teardown (a crash, a timeout) must not leave servers behind on a shared machine.
    const killOnExit = (): void => void this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        process.removeListener('exit', killOnExit);
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** The last lines printed on stdout and stderr. */
  output(): string {
    return this.lines.join('\n');
  }

  /** Resolves with the first line matching `pattern` (printed from now on or already kept); rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
    const seen = this.lines.map((l) => pattern.exec(l)).find((m): m is RegExpExecArray => m !== null);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`${what}: not printed within ${timeoutMs} ms`), timeoutMs);
      const fail = (reason: string): void => {
        clearTimeout(timer);
        reject(new Error(`${reason}\n--- output ---\n${this.output()}`));
      };
      this.waiters.push({
        pattern,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
      void this.exited.then(() => fail(`${what}: exited (${this.exit?.code ?? this.exit?.signal}) first`));
    });
  }

  /** Sends `signal` (SIGKILL by default) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.exited;
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const match = this.waiters[i].pattern.exec(line);
      if (match) this.waiters.splice(i, 1)[0].resolve(match);
    }
  }
}
