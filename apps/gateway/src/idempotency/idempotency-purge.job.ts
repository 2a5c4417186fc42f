import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ScheduledJobs } from '../queue/scheduled-jobs.service';
import { IdempotencyRepository } from './idempotency.repository';

export const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Expired keys are already ignored; this only keeps the table small. Once per period across instances (queue). */
@Injectable()
export class IdempotencyPurgeJob implements OnModuleInit {
  private readonly logger = new Logger(IdempotencyPurgeJob.name);

  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly scheduled: ScheduledJobs,
  ) {}

  onModuleInit(): void {
    this.scheduled.register('idempotency-purge', PURGE_INTERVAL_MS, () => this.run());
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
