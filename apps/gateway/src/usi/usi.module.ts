import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { OrganisationAccessRepository } from './access/organisation-access.repository';
import { OrganisationAccess } from './access/organisation-access.service';
import { ConnectionTestRepository } from './connection-test/connection-test.repository';
import { ConnectionTestService } from './connection-test/connection-test.service';
import { BulkUploadController } from './http/bulk-upload.controller';
import { ConnectionTestController } from './http/connection-test.controller';
import { ReferenceController } from './http/reference.controller';
import { UsiRecordsController } from './http/usi-records.controller';
import { UsiRequestScope } from './http/usi-request-scope';
import { UsiVerifyController } from './http/usi-verify.controller';
import { ReferenceDataService } from './reference/reference-data.service';
import { UpstreamModule } from '../upstream/upstream.module';
import { UsiService } from './usi.service';

@Module({
  imports: [TenancyModule, CredentialsModule, UpstreamModule, AuditModule, WebhooksModule],
  controllers: [UsiVerifyController, UsiRecordsController, BulkUploadController, ReferenceController, ConnectionTestController],
  providers: [
    UsiService,
    OrganisationAccess,
    OrganisationAccessRepository,
    UsiRequestScope,
    ReferenceDataService,
    ConnectionTestRepository,
    ConnectionTestService,
  ],
  exports: [UsiService, UsiRequestScope, OrganisationAccess, ConnectionTestService],
})
export class UsiModule {}
