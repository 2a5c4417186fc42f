import { execFileSync } from 'node:child_process';
import { WatchedChild } from './child-process';
import { freePort } from './free-port';

/** True when a `redis-server` binary is on the PATH. */
export function redisServerAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A redis-server of the test's own (no persistence), a child of the test process, that can be killed and started
 * again on the same port: the shared Redis must never be stopped.
 */
export class PrivateRedis {
  private child?: WatchedChild;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.startServer();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startServer(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    this.child = new WatchedChild('redis-server', args, { cwd: '/tmp' });
    await this.child.waitForLine(/Ready to accept connections/, 10_000, 'redis-server');
  }

  /** SIGKILL: gone without closing its connections politely, as a crashed or partitioned Redis. */
  async stopServer(): Promise<void> {
    await this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stopServer();
  }
}
