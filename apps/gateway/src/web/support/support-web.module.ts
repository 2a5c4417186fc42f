import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { SupportAuditController } from './support-audit.controller';
import { SupportChainsController } from './support-chains.controller';
import { SupportChartsController } from './support-charts.controller';
import { SupportChartsRepository } from './support-charts.repository';
import { SupportLookupController } from './support-lookup.controller';
import { SupportLookupRepository } from './support-lookup.repository';

/**
 * The support console (issue 16): `support` for its vendor, platform staff across vendors, read only. Its pages call
 * the audit API's services (search, story, export, verify, raw exchanges) and keep their scoping and staff-read records.
 */
@Module({
  imports: [AuditModule],
  controllers: [SupportAuditController, SupportChainsController, SupportChartsController, SupportLookupController],
  providers: [SupportLookupRepository, SupportChartsRepository],
})
export class SupportWebModule {}
