import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AuditModule } from '../audit/audit.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ExpiryRepository } from './expiry.repository';
import { ExpiryScheduler } from './expiry.scheduler';
import { ExpiryService } from './expiry.service';

@Module({
  imports: [MetricsModule, AuditModule, WebhooksModule],
  providers: [ExpiryRepository, ExpiryService, ExpiryScheduler],
  exports: [ExpiryService],
})
export class ExpiryModule {}
