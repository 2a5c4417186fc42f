import { errorCode } from './verify-load';

export interface ProbeResult {
  at: number;
  path: '/health/live' | '/health/ready';
  status?: number;
  error?: string;
}

/** Polls /health/live and /health/ready side by side with the load, every answer recorded. */
export class HealthProbe {
  private readonly results: ProbeResult[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.running = true;
    this.loops = (['/health/live', '/health/ready'] as const).map((path) => this.loop(path));
  }

  async stop(): Promise<ProbeResult[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.snapshot();
  }

  snapshot(): ProbeResult[] {
    return [...this.results];
  }

  private async loop(path: ProbeResult['path']): Promise<void> {
    while (this.running) {
      const at = Date.now();
      try {
        const res = await fetch(this.baseUrl + path, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        this.results.push({ at, path, status: res.status });
      } catch (err) {
        this.results.push({ at, path, error: errorCode(err) });
      }
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }
}
