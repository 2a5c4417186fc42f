import { Module } from '@nestjs/common';
import { ProvidersModule } from '../../providers/providers.module';
import { VendorConsoleModule } from '../../vendor-console/vendor-console.module';
import { CopyScriptController } from './copy-script.controller';
import { OrganisationPageController } from './organisation-page.controller';
import { OrganisationRegistrationController } from './organisation-registration.controller';
import { RamStepController } from './ram-step.controller';
import { SignupController } from './signup.controller';
import { AcceptInvitationController, TeamController } from './team.controller';

/** The training provider's pages (issue 15, the provider's journey), over the services in providers/. */
@Module({
  imports: [ProvidersModule, VendorConsoleModule],
  controllers: [CopyScriptController, SignupController, OrganisationRegistrationController, RamStepController, OrganisationPageController, TeamController, AcceptInvitationController],
})
export class ProviderWebModule {}
