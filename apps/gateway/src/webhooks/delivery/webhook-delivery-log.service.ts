import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { SecurityEvents } from '../../common/security-events/security-events';
import { VendorId } from '../../database/vendor-id';
import { isQueueUnavailable } from '../../queue/queue-unavailable.error';
import { WebhookEndpointRepository } from '../endpoints/webhook-endpoint.repository';
import { WEBHOOK_DELIVERY_SCHEDULER, WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { AttemptRow, DeliveryRow, WebhookDeliveryRepository } from './webhook-delivery.repository';

export type DeliveryView = DeliveryRow & { log: Omit<AttemptRow, 'deliveryId'>[] };

/** An endpoint's delivery log and manual redelivery, both within the caller's vendor. */
@Injectable()
export class WebhookDeliveryLogService {
  private readonly logger = new Logger(WebhookDeliveryLogService.name);
  private readonly now: Clock;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly audit: SecurityEvents,
    @Inject(WEBHOOK_DELIVERY_SCHEDULER) private readonly scheduler: WebhookDeliveryScheduler,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  async list(vendorId: VendorId, endpointId: string, page: PageQuery): Promise<Page<DeliveryView>> {
    if (!(await this.endpoints.find(vendorId, endpointId))) throw new NotFoundError('webhook_endpoint');
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const found = toPage(await this.deliveries.listForEndpoint(vendorId, endpointId, page.limit + 1, after), page.limit);
    const attempts = await this.deliveries.attemptsOf(vendorId, found.items.map((d) => d.id));
    return {
      ...found,
      items: found.items.map((d) => ({
        ...d,
        log: attempts.filter((a) => a.deliveryId === d.id).map(({ deliveryId: _, ...a }) => a),
      })),
    };
  }

  async redeliver(vendorId: VendorId, principal: Principal, endpointId: string, deliveryId: string): Promise<void> {
    const outcome = await this.deliveries.requeue(vendorId, endpointId, deliveryId, this.now());
    if (outcome === 'missing') throw new NotFoundError('webhook_delivery');
    if (outcome === 'endpoint_disabled') {
      throw new AppError('webhook_endpoint.disabled', 'The endpoint is disabled: re-enable it (PATCH {"enabled": true}) first');
    }
    if (outcome === 'pending') throw new AppError('webhook_delivery.pending', 'This delivery is still being attempted');
    // The delivery is `pending` again in Postgres: the redelivery is accepted even if the queue does not take it now.
    await this.scheduler.schedule(deliveryId, 0).catch((err: unknown) => {
      if (!isQueueUnavailable(err)) throw err;
      this.logger.warn({ msg: 'redelivery recorded, not queued: queue unavailable (queued late or by the maintenance job)', deliveryId, code: err.code });
    });
    await this.audit.recordSecurityEvent({ type: 'webhook_delivery.redelivered', vendorId, actor: principal, details: { endpointId, deliveryId } });
  }
}
