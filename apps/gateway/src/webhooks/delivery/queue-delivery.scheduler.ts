import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../../queue/job-queue';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookDeliveryService } from './webhook-delivery.service';

export const WEBHOOK_QUEUE = 'webhooks';

interface DeliverJob {
  deliveryId: string;
}

/**
 * Deliveries on the gateway's queue (`JobQueue`): one job per attempt, delayed by the backoff the previous attempt
 * asked for. The backoff is ours, not BullMQ's, so it stays configurable and the delivery rows say when the next
 * attempt is due. The queue's own retries (3, 10 s apart) only cover the processor failing to run at all (database
 * away); a job run twice is harmless: the attempt is recorded only if no other run recorded it first.
 */
@Injectable()
export class QueueDeliveryScheduler implements WebhookDeliveryScheduler, OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly deliveries: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.queue.process<DeliverJob>(
      WEBHOOK_QUEUE,
      async (job) => {
        const outcome = await this.deliveries.deliver(job.data.deliveryId);
        if (outcome.result === 'retry') await this.schedule(job.data.deliveryId, outcome.retryInMs);
      },
      // Each attempt waits on a receiver for up to the timeout: several at once per worker.
      { concurrency: 8 },
    );
  }

  async schedule(deliveryId: string, delayMs: number): Promise<void> {
    await this.queue.add<DeliverJob>(WEBHOOK_QUEUE, 'deliver', { deliveryId }, { delayMs, attempts: 3, backoffMs: 10_000 });
  }
}
