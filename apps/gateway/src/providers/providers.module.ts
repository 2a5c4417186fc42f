import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UsiModule } from '../usi/usi.module';
import { ProviderActivityRepository } from './activity/provider-activity.repository';
import { ProviderActivityService } from './activity/provider-activity.service';
import { ProviderOrganisationRepository } from './organisation/provider-organisation.repository';
import { ProviderOrganisationService } from './organisation/provider-organisation.service';
import { ProviderLinkRepository } from './ram-step/provider-link.repository';
import { RamStepService } from './ram-step/ram-step.service';
import { SimulatedRamClient } from './ram-step/simulated-ram.client';
import { ProviderAccountRepository } from './signup/provider-account.repository';
import { ProviderSignupService } from './signup/provider-signup.service';
import { ProviderTeamService } from './team/provider-team.service';
import { UserTokenRepository } from './tokens/user-token.repository';

/**
 * A training provider's self-service journey: signup, organisation, the RAM step, its activity and its team.
 * Services only; the web pages (web/provider) call them with the signed-in principal.
 */
@Module({
  imports: [AuditModule, AuthModule, NotificationsModule, TenancyModule, UsiModule],
  providers: [
    UserTokenRepository,
    ProviderAccountRepository,
    ProviderSignupService,
    ProviderOrganisationRepository,
    ProviderOrganisationService,
    ProviderLinkRepository,
    SimulatedRamClient,
    RamStepService,
    ProviderActivityRepository,
    ProviderActivityService,
    ProviderTeamService,
  ],
  exports: [UserTokenRepository, ProviderSignupService, ProviderOrganisationService, RamStepService, ProviderActivityService, ProviderTeamService],
})
export class ProvidersModule {}
