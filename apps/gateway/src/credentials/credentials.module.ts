import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { CredentialVault } from './credential-vault.service';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { createKeyProvider } from './key-providers/key-provider.factory';
import { KEY_PROVIDER } from './key-providers/key-provider';
import { M2mCredentialEntity } from './m2m-credential.entity';

@Module({
  imports: [TypeOrmModule.forFeature([M2mCredentialEntity])],
  controllers: [CredentialsController],
  providers: [
    {
      provide: KEY_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createKeyProvider({ ...config.keys, production: config.nodeEnv === 'production' }),
    },
    CredentialsService,
    CredentialVault,
  ],
  // The key provider also seals stored idempotent responses.
  exports: [CredentialVault, KEY_PROVIDER],
})
export class CredentialsModule {}
