import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Logger } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';

export const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Expired keys are already ignored; this only keeps the table small. Each instance purges; deletes are idempotent. */
@Injectable()
export class IdempotencyPurgeJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurgeJob.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: IdempotencyRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<number> {
    try {
      const purged = await this.repo.purgeExpired();
      if (purged > 0) this.logger.log({ msg: 'expired idempotency keys purged', purged });
      return purged;
    } catch (err) {
      this.logger.warn({ msg: 'idempotency purge failed; retrying next interval', err });
      return 0;
    }
  }
}
