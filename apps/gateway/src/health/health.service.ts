import { Inject, Injectable, Optional } from '@nestjs/common';
import { USI_UPSTREAM, UsiUpstream } from '../upstream/usi-upstream';
import { HealthRepository } from './health.repository';
import { RedisProbe } from './redis.probe';

export type CheckStatus = { status: 'up' } | { status: 'down'; error: string };

/**
 * The gateway clock against the ATO token service's, from the last STS answer that carried a time (nothing is sent
 * to the STS for readiness). Down beyond 4 minutes: WS-Security timestamps are about to be refused, or already are.
 */
export type ClockCheck =
  | { status: 'up'; offsetSeconds: number | null; measuredAt?: string; warning?: string }
  | { status: 'down'; offsetSeconds: number; measuredAt?: string; error: string };

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: { database: CheckStatus; queue: CheckStatus & { backend: 'redis' | 'database' }; upstreamClock: ClockCheck };
}

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    private readonly repository: HealthRepository,
    private readonly queue: RedisProbe,
    @Optional() @Inject(USI_UPSTREAM) private readonly upstream?: UsiUpstream,
  ) {}

  async readiness(): Promise<ReadinessReport> {
    const database = await check(() => this.repository.pingDatabase());
    const queue =
      this.queue.kind === 'redis' ? await check(() => this.queue.ping(PROBE_TIMEOUT_MS)) : database;
    const upstreamClock = this.clockCheck();
    const ok = database.status === 'up' && queue.status === 'up' && upstreamClock.status === 'up';
    return { status: ok ? 'ok' : 'error', checks: { database, queue: { ...queue, backend: this.queue.kind }, upstreamClock } };
  }

  private clockCheck(): ClockCheck {
    const clock = this.upstream?.monitor.clockStatus();
    if (!clock || clock.offsetSeconds === null) return { status: 'up', offsetSeconds: null };
    const { offsetSeconds, measuredAt } = clock;
    if (clock.state === 'skewed') {
      return { status: 'down', offsetSeconds, measuredAt, error: `clock ${offsetSeconds} s from the ATO token service (limit 240 s): fix NTP` };
    }
    if (clock.state === 'warning') return { status: 'up', offsetSeconds, measuredAt, warning: 'more than 30 s from the ATO token service' };
    return { status: 'up', offsetSeconds, measuredAt };
  }
}

async function check(probe: () => Promise<void>): Promise<CheckStatus> {
  try {
    await probe();
    return { status: 'up' };
  } catch (err) {
    // Driver messages name hosts and roles, never passwords; keep them short for the operator.
    return { status: 'down', error: err instanceof Error ? err.message.slice(0, 200) : 'unknown error' };
  }
}
