import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { ExpiryRepository } from './expiry.repository';
import { ExpiryScheduler } from './expiry.scheduler';
import { ExpiryService } from './expiry.service';

@Module({
  imports: [MetricsModule],
  providers: [ExpiryRepository, ExpiryService, ExpiryScheduler],
  exports: [ExpiryService],
})
export class ExpiryModule {}
