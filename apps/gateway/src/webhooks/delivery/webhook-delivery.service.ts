import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { VendorId } from '../../database/vendor-id';
import { EmailOutbox } from '../../notifications/email-outbox';
import { EndpointRow } from '../endpoints/webhook-endpoint.types';
import { WebhookSecrets } from '../endpoints/webhook-secrets';
import { signWebhook } from '../signing/webhook-signer';
import { retryDelayMs } from './webhook-backoff';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookHttpSender } from './webhook-http.sender';

export type DeliveryOutcome =
  | { result: 'succeeded' | 'failed' | 'skipped' }
  /** Failed, with attempts left: the scheduler runs `deliver` again after this long. */
  | { result: 'retry'; retryInMs: number };

/**
 * The queue's processor for one delivery attempt: read the delivery (no transaction held while sending), sign with
 * the endpoint's secret(s), POST through the SSRF-guarded sender, then record the attempt, the next one's time, and the
 * endpoint's failure clock in one transaction. An endpoint failing for `disableAfterMs` without a success is disabled
 * and the vendor's admins get an email (outbox, same transaction).
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly now: Clock;

  constructor(
    private readonly repository: WebhookDeliveryRepository,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookHttpSender,
    private readonly outbox: EmailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  async deliver(deliveryId: string): Promise<DeliveryOutcome> {
    const vendorId = await this.repository.vendorOf(deliveryId);
    const work = vendorId && (await this.repository.forAttempt(vendorId, deliveryId));
    if (!vendorId || !work || work.delivery.status !== 'pending') return { result: 'skipped' };
    const { delivery, body, endpoint } = work;
    if (endpoint.status !== 'enabled') {
      await this.repository.abandon(vendorId, deliveryId);
      return { result: 'skipped' };
    }

    const startedAt = this.now();
    const headers = signWebhook(await this.secrets.signing(endpoint, startedAt), delivery.id, Math.floor(startedAt.getTime() / 1000), body);
    const sent = await this.sender.send(endpoint.url, { ...headers }, body);
    const retryInMs = sent.ok ? undefined : retryDelayMs(delivery.attempts + 1, this.config.webhooks.retry);
    const recorded = await this.repository.recordAttempt(
      vendorId,
      {
        deliveryId,
        endpointId: endpoint.id,
        attemptsBefore: delivery.attempts,
        startedAt,
        ok: sent.ok,
        responseStatus: sent.status,
        responseBody: sent.responseBody,
        error: sent.error,
        durationMs: sent.durationMs,
        nextAttemptAt: retryInMs === undefined ? undefined : new Date(startedAt.getTime() + retryInMs),
        disableFailingBefore: new Date(startedAt.getTime() - this.config.webhooks.disableAfterMs),
      },
      (m) => this.tellAdmins(m, vendorId, endpoint),
    );
    if (!recorded) return { result: 'skipped' };
    if (sent.ok) return { result: 'succeeded' };
    if (recorded.endpointDisabled) {
      this.logger.warn(`webhook endpoint ${endpoint.id} of vendor ${vendorId} disabled after failing since at least ${this.config.webhooks.disableAfterMs / 3_600_000} h`);
      return { result: 'failed' };
    }
    return retryInMs === undefined ? { result: 'failed' } : { result: 'retry', retryInMs };
  }

  /** No URL in the email: it may carry the receiver's own token. The endpoint id is enough to find it. */
  private async tellAdmins(m: EntityManager, vendorId: VendorId, endpoint: EndpointRow): Promise<void> {
    for (const to of await this.repository.adminEmails(m, vendorId)) {
      await this.outbox.enqueue(
        {
          to,
          vendorId,
          template: 'webhooks.endpoint_disabled',
          subject: 'A webhook endpoint was disabled after failing for days',
          text:
            `Webhook endpoint ${endpoint.id}${endpoint.description ? ` (${endpoint.description})` : ''} has failed every delivery ` +
            `since ${endpoint.failingSince?.toISOString() ?? 'its first failure'} and has been disabled: no more events are sent to it.\n\n` +
            `Check the receiver, read its delivery log (GET /v1/webhooks/endpoints/${endpoint.id}/deliveries), then re-enable it ` +
            `(PATCH /v1/webhooks/endpoints/${endpoint.id} with {"enabled": true}) and redeliver the events you need.`,
        },
        m,
      );
    }
  }
}
