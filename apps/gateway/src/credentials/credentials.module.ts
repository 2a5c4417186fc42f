import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UsiUpstreamModule } from '../usi/upstream/usi-upstream.module';
import { CredentialChecker } from './credential-check';
import { CREDENTIAL_RENEWER, ManualCredentialRenewer } from './credential-renewer';
import { CredentialVault } from './credential-vault.service';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { createKeyProvider } from './key-providers/key-provider.factory';
import { KEY_PROVIDER } from './key-providers/key-provider';
import { M2mCredentialEntity } from './m2m-credential.entity';
import { OrganisationCredentialsController } from './organisation-credentials.controller';

@Module({
  imports: [TypeOrmModule.forFeature([M2mCredentialEntity]), TenancyModule, UsiUpstreamModule],
  controllers: [CredentialsController, OrganisationCredentialsController],
  providers: [
    {
      provide: KEY_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createKeyProvider({ ...config.keys, production: config.nodeEnv === 'production' }),
    },
    // Manual only: automated renewal through the ATO's credential-management service is not publicly specified.
    { provide: CREDENTIAL_RENEWER, useClass: ManualCredentialRenewer },
    CredentialChecker,
    CredentialsService,
    CredentialVault,
  ],
  // The key provider also seals stored idempotent responses.
  exports: [CredentialVault, CredentialsService, KEY_PROVIDER, CREDENTIAL_RENEWER],
})
export class CredentialsModule {}
