import { Injectable } from '@nestjs/common';
import { HealthRepository } from './health.repository';
import { RedisProbe } from './redis.probe';

export type CheckStatus = { status: 'up' } | { status: 'down'; error: string };

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: { database: CheckStatus; queue: CheckStatus & { backend: 'redis' | 'database' } };
}

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    private readonly repository: HealthRepository,
    private readonly queue: RedisProbe,
  ) {}

  async readiness(): Promise<ReadinessReport> {
    const database = await check(() => this.repository.pingDatabase());
    const queue =
      this.queue.kind === 'redis' ? await check(() => this.queue.ping(PROBE_TIMEOUT_MS)) : database;
    const ok = database.status === 'up' && queue.status === 'up';
    return { status: ok ? 'ok' : 'error', checks: { database, queue: { ...queue, backend: this.queue.kind } } };
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
