import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { AuditModule } from '../audit/audit.module';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { UpstreamAlerts } from './upstream-alerts';
import { USI_UPSTREAM, UsiUpstream } from './usi-upstream';

/**
 * The one upstream environment of this instance (client, token cache, breakers, monitor) and its alerts, shared by the
 * USI routes, the credential lifecycle (which proves a new credential and flushes a vendor's tokens), status and
 * readiness.
 */
@Module({
  imports: [MetricsModule, AuditModule],
  providers: [
    {
      provide: USI_UPSTREAM,
      inject: [APP_CONFIG, MetricsService, { token: CLOCK, optional: true }],
      useFactory: (config: AppConfig, metrics: MetricsService, clock?: Clock) => UsiUpstream.fromConfig(config.usi, { metrics, clock }),
    },
    UpstreamAlerts,
  ],
  exports: [USI_UPSTREAM, UpstreamAlerts],
})
export class UpstreamModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(USI_UPSTREAM) private readonly upstream?: UsiUpstream) {}

  async onApplicationShutdown(): Promise<void> {
    await this.upstream?.close();
  }
}
