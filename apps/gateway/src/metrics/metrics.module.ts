import { Module } from '@nestjs/common';
import { MetricsListener } from './metrics-listener';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({ controllers: [MetricsController], providers: [MetricsService, MetricsListener], exports: [MetricsService] })
export class MetricsModule {}
