import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorisationController } from './authorisations/authorisation.controller';
import { AuthorisationRepository } from './authorisations/authorisation.repository';
import { AuthorisationService } from './authorisations/authorisation.service';
import { CacheInvalidation } from '../common/cache/cache-invalidation.service';
import { OrganisationController } from './organisations/organisation.controller';
import { OrganisationRepository } from './organisations/organisation.repository';
import { OrganisationService } from './organisations/organisation.service';
import { PlatformVendorController } from './vendors/platform-vendor.controller';
import { VendorController } from './vendors/vendor.controller';
import { VendorRepository } from './vendors/vendor.repository';
import { VendorService } from './vendors/vendor.service';
import { WebhooksModule } from '../webhooks/webhooks.module';

@Module({
  imports: [AuditModule, WebhooksModule],
  controllers: [VendorController, PlatformVendorController, OrganisationController, AuthorisationController],
  providers: [
    VendorRepository,
    VendorService,
    OrganisationRepository,
    OrganisationService,
    AuthorisationRepository,
    AuthorisationService,
    CacheInvalidation,
  ],
  exports: [
    VendorService,
    OrganisationService,
    OrganisationRepository,
    AuthorisationService,
    AuthorisationRepository,
    CacheInvalidation,
  ],
})
export class TenancyModule {}
