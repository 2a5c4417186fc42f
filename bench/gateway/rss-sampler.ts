import { readFileSync } from 'node:fs';

/** Samples another process's resident set size (VmRSS, Linux) every `everyMs` between start() and stop(); keeps the maximum. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  maxMb = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (match) this.maxMb = Math.max(this.maxMb, Number(match[1]) / 1024);
    } catch {
      // The process has exited: nothing more to sample.
    }
  }
}
