import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CredentialChecker } from './credential-check';
import { CREDENTIAL_RENEWER, ManualCredentialRenewer } from './credential-renewer';
import { CredentialVault } from './credential-vault.service';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { KeysModule } from '../keys/keys.module';
import { M2mCredentialEntity } from './m2m-credential.entity';
import { OrganisationCredentialsController } from './organisation-credentials.controller';

@Module({
  imports: [TypeOrmModule.forFeature([M2mCredentialEntity]), KeysModule, AuditModule, TenancyModule, UpstreamModule, WebhooksModule],
  controllers: [CredentialsController, OrganisationCredentialsController],
  providers: [
    // Manual only: automated renewal through the ATO's credential-management service is not publicly specified.
    { provide: CREDENTIAL_RENEWER, useClass: ManualCredentialRenewer },
    CredentialChecker,
    CredentialsService,
    CredentialVault,
  ],
  exports: [CredentialVault, CredentialsService, CREDENTIAL_RENEWER],
})
export class CredentialsModule {}
