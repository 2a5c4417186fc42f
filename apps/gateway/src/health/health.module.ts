import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';
import { QueueBackendProbe } from './queue-backend.probe';

@Module({
  controllers: [HealthController],
  providers: [HealthService, HealthRepository, QueueBackendProbe],
})
export class HealthModule {}
