import { Module } from '@nestjs/common';
import { UpstreamModule } from '../usi/upstream/upstream.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';
import { QueueBackendProbe } from './queue-backend.probe';

@Module({
  imports: [UpstreamModule],
  controllers: [HealthController],
  providers: [HealthService, HealthRepository, QueueBackendProbe],
})
export class HealthModule {}
