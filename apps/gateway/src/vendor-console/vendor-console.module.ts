import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProvidersModule } from '../providers/providers.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ProviderInvitationService } from './provider-invitation.service';
import { VendorConsoleRepository } from './vendor-console.repository';
import { VendorOverviewService } from './vendor-overview.service';
import { VendorTeamService } from './vendor-team.service';

/**
 * The vendor console's own services (issue 16): overview and provider reads, provider invitations and the vendor's
 * team. Credentials, API keys and webhook endpoints are the existing services; the pages (web/vendor) call them directly.
 */
@Module({
  imports: [AuditModule, AuthModule, CredentialsModule, NotificationsModule, ProvidersModule, TenancyModule, WebhooksModule],
  providers: [VendorConsoleRepository, VendorOverviewService, ProviderInvitationService, VendorTeamService],
  exports: [VendorConsoleRepository, VendorOverviewService, ProviderInvitationService, VendorTeamService, CredentialsModule, WebhooksModule],
})
export class VendorConsoleModule {}
