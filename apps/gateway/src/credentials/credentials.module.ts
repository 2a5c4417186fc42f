import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CredentialVault } from './credential-vault.service';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { KeysModule } from '../keys/keys.module';
import { M2mCredentialEntity } from './m2m-credential.entity';

@Module({
  imports: [TypeOrmModule.forFeature([M2mCredentialEntity]), KeysModule, AuditModule],
  controllers: [CredentialsController],
  providers: [
    CredentialsService,
    CredentialVault,
  ],
  exports: [CredentialVault],
})
export class CredentialsModule {}
