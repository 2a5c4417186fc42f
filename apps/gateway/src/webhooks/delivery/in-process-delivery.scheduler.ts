import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookDeliveryService } from './webhook-delivery.service';

/**
 * Interim scheduler until the queue port (apps/gateway/src/queue/) is merged: one-shot timers in this process, each
 * running `deliver` and scheduling the retry it asks for. Not durable (a restart drops the timers; the rows stay
 * `pending` with `next_attempt_at`) and not shared across instances: the queue adapter replaces it.
 */
@Injectable()
export class InProcessDeliveryScheduler implements WebhookDeliveryScheduler, OnApplicationShutdown {
  private readonly logger = new Logger(InProcessDeliveryScheduler.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deliveries: WebhookDeliveryService) {}

  schedule(deliveryId: string, delayMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.run(deliveryId).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
    return Promise.resolve();
  }

  private async run(deliveryId: string): Promise<void> {
    try {
      const outcome = await this.deliveries.deliver(deliveryId);
      if (outcome.result === 'retry') await this.schedule(deliveryId, outcome.retryInMs);
    } catch (err) {
      this.logger.error(`webhook delivery ${deliveryId} failed to run: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
