import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { EmitOptions, WebhookEventData, WebhookEvents, WebhookEventType } from '../../common/webhook-events/webhook-events';
import { VendorId } from '../../database/vendor-id';
import { isQueueUnavailable } from '../../queue/queue-unavailable.error';
import { WEBHOOK_DELIVERY_SCHEDULER, WebhookDeliveryScheduler } from '../delivery/webhook-delivery.scheduler';
import { WebhookDeliveryRepository } from '../delivery/webhook-delivery.repository';

/**
 * `WebhookEvents.emit`: one statement records the event and a pending delivery per subscribed endpoint, then each
 * delivery goes to the queue. Called after the domain change committed (its own transaction), and it swallows its own
 * failures: a webhook can never roll back, fail or hold up the change it reports. The price is a narrow window (a crash
 * between the domain commit and this insert) in which an event is lost; writing it inside the domain transaction
 * would close that window but put a webhook failure inside the domain's (see docs/webhooks-receiver.md, "Delivery").
 */
@Injectable()
export class WebhookEventsService extends WebhookEvents {
  private readonly logger = new Logger(WebhookEventsService.name);
  private readonly now: Clock;

  constructor(
    private readonly repository: WebhookDeliveryRepository,
    @Inject(WEBHOOK_DELIVERY_SCHEDULER) private readonly scheduler: WebhookDeliveryScheduler,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    super();
    this.now = clock ?? systemClock;
  }

  async emit(vendorId: VendorId, type: WebhookEventType, data: WebhookEventData, options: EmitOptions = {}): Promise<void> {
    try {
      const at = this.now();
      const body = JSON.stringify({ type, timestamp: at.toISOString(), data });
      const deliveries = await this.repository.recordEvent(vendorId, type, body, options.dedupeKey ?? null, at);
      // The queue's add answers within QUEUE_ADD_TIMEOUT_MS (`JobQueue`): an outage of its store cannot hold the caller.
      await Promise.all(deliveries.map((id) => this.scheduler.schedule(id, 0)));
    } catch (err) {
      // The delivery rows (if written) stay `pending` with their due time, for the maintenance job to requeue.
      if (isQueueUnavailable(err)) {
        this.logger.warn({ msg: 'webhook deliveries recorded, not queued: queue unavailable (queued late or by the maintenance job)', type, code: err.code });
        return;
      }
      this.logger.error(`webhook event ${type} for vendor ${vendorId} not recorded or not queued: ${(err as Error).message}`);
    }
  }
}
