import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { ScheduledJobs } from '../../queue/scheduled-jobs.service';
import { WEBHOOK_DELIVERY_SCHEDULER, WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

export const MAINTENANCE_EVERY_MS = 5 * 60 * 1000;
/** Far beyond any normal queue latency: a delivery this late has no job left to run it. */
export const OVERDUE_GRACE_MS = 60 * 60 * 1000;
/** The delivery log's reach back (events, deliveries, attempts). */
export const LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const BATCH = 500;

/**
 * Once per period across instances (ScheduledJobs): hands overdue pending deliveries back to the queue (a job lost
 * between the event's commit and the queue's add, or one that kept failing to run, e.g. while the database was away)
 * and purges the delivery log past its retention. A delivery run twice is harmless (its attempt is recorded once).
 */
@Injectable()
export class WebhookMaintenanceJob implements OnModuleInit {
  private readonly logger = new Logger(WebhookMaintenanceJob.name);
  private readonly now: Clock;

  constructor(
    private readonly repository: WebhookDeliveryRepository,
    private readonly scheduled: ScheduledJobs,
    @Inject(WEBHOOK_DELIVERY_SCHEDULER) private readonly scheduler: WebhookDeliveryScheduler,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  onModuleInit(): void {
    this.scheduled.register('webhook-maintenance', MAINTENANCE_EVERY_MS, () => this.run());
  }

  async run(): Promise<{ requeued: number; purged: number }> {
    const now = this.now();
    try {
      const overdue = await this.repository.claimOverdue(now, OVERDUE_GRACE_MS, BATCH);
      for (const id of overdue) await this.scheduler.schedule(id, 0);
      const purged = await this.repository.purgeEventsBefore(new Date(now.getTime() - LOG_RETENTION_MS));
      if (overdue.length || purged) this.logger.log({ msg: 'webhook maintenance', requeued: overdue.length, purged });
      return { requeued: overdue.length, purged };
    } catch (err) {
      this.logger.warn({ msg: 'webhook maintenance failed; retrying next period', err });
      return { requeued: 0, purged: 0 };
    }
  }
}
