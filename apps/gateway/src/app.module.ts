import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Clock } from './common/clock';
import { ClockModule } from './common/clock.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { LoggingModule } from './common/request-context/logging.module';
import { RequestContextModule } from './common/request-context/request-context.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DatabaseModule } from './database/database.module';
import { ErrorDocsModule } from './error-docs/error-docs.module';
import { ExpiryModule } from './expiry/expiry.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { ProvidersModule } from './providers/providers.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { StatusModule } from './status/status.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { UsiModule } from './usi/usi.module';
import { CreationJobsModule } from './creation-jobs/creation-jobs.module';
import { VerificationJobsModule } from './verification-jobs/verification-jobs.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WebModule } from './web/web.module';
import { ProviderWebModule } from './web/provider/provider-web.module';
import { SupportWebModule } from './web/support/support-web.module';
import { VendorWebModule } from './web/vendor/vendor-web.module';

export interface AppOptions {
  /** Time for every service that takes the CLOCK token (default: the system clock). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        LoggingModule,
        RequestContextModule,
        DatabaseModule,
        QueueModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        TenancyModule,
        AuthModule,
        CredentialsModule,
        ExpiryModule,
        UsiModule,
        VerificationJobsModule,
        CreationJobsModule,
        ProvidersModule,
        StatusModule,
        ErrorDocsModule,
        IdempotencyModule,
        RateLimitModule,
        WebhooksModule,
        WebModule.forRoot(config),
        ProviderWebModule,
        SupportWebModule,
        VendorWebModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
