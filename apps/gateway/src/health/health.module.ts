import { Module } from '@nestjs/common';
import { UpstreamModule } from '../upstream/upstream.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';
import { RedisProbe } from './redis.probe';

@Module({
  imports: [UpstreamModule],
  controllers: [HealthController],
  providers: [HealthService, HealthRepository, RedisProbe],
})
export class HealthModule {}
