import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookEvents } from '../common/webhook-events/webhook-events';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { KeysModule } from '../keys/keys.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QueueDeliveryScheduler } from './delivery/queue-delivery.scheduler';
import { WebhookDeliveryLogService } from './delivery/webhook-delivery-log.service';
import { WEBHOOK_DELIVERY_SCHEDULER } from './delivery/webhook-delivery.scheduler';
import { WebhookDeliveryRepository } from './delivery/webhook-delivery.repository';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { WebhookHttpSender } from './delivery/webhook-http.sender';
import { WebhookMaintenanceJob } from './delivery/webhook-maintenance.job';
import { WebhookEndpointRepository } from './endpoints/webhook-endpoint.repository';
import { WebhookEndpointsController } from './endpoints/webhook-endpoints.controller';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { WebhookSecrets } from './endpoints/webhook-secrets';
import { WebhookEventsService } from './events/webhook-events.service';

/**
 * Webhooks (Standard Webhooks): vendors' endpoints, the `WebhookEvents` port the other features emit through, and the
 * delivery processor, run by the queue (`JobQueue`, global). Features import this module for the port only; it imports
 * none of them.
 */
@Module({
  imports: [KeysModule, NotificationsModule, AuditModule],
  controllers: [WebhookEndpointsController],
  providers: [
    WebhookEndpointRepository,
    WebhookEndpointsService,
    WebhookSecrets,
    WebhookDeliveryRepository,
    WebhookDeliveryService,
    WebhookDeliveryLogService,
    {
      provide: WebhookHttpSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new WebhookHttpSender(config.webhooks),
    },
    QueueDeliveryScheduler,
    { provide: WEBHOOK_DELIVERY_SCHEDULER, useExisting: QueueDeliveryScheduler },
    WebhookMaintenanceJob,
    WebhookEventsService,
    { provide: WebhookEvents, useExisting: WebhookEventsService },
  ],
  exports: [WebhookEvents, WebhookDeliveryService, WebhookEndpointsService, WebhookDeliveryLogService],
})
export class WebhooksModule {}
