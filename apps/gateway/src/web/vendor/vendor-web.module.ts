import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { CreationJobsModule } from '../../creation-jobs/creation-jobs.module';
import { VerificationJobsModule } from '../../verification-jobs/verification-jobs.module';
import { VendorConsoleModule } from '../../vendor-console/vendor-console.module';
import { VendorApiKeysController } from './api-keys.controller';
import { VendorCredentialController } from './credential.controller';
import { VendorJobsController } from './jobs.controller';
import { keystoreForm } from './keystore-form.middleware';
import { VendorOverviewController } from './overview.controller';
import { ProviderInvitationController } from './provider-invitation.controller';
import { VendorProvidersController } from './providers.controller';
import { VendorJoinController, VendorTeamController } from './team.controller';
import { VendorWebhooksController } from './webhooks.controller';

/** The vendor console (issue 16): pages for vendor administrators, read-only for vendor developers. */
@Module({
  imports: [VendorConsoleModule, VerificationJobsModule, CreationJobsModule],
  controllers: [
    VendorOverviewController,
    VendorCredentialController,
    VendorApiKeysController,
    VendorProvidersController,
    ProviderInvitationController,
    VendorTeamController,
    VendorJoinController,
    VendorWebhooksController,
    VendorJobsController,
  ],
})
export class VendorWebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The keystore forms are multipart: parsed before the page guard, which reads their CSRF field.
    consumer.apply(keystoreForm).forRoutes(
      { path: 'vendor/credential/upload', method: RequestMethod.POST },
      { path: 'vendor/credential/upload/confirm', method: RequestMethod.POST },
    );
  }
}
