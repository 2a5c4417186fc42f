import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsiModule } from '../usi/usi.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { JobsModule } from '../jobs/jobs.module';
import { VerificationJobExampleController, VerificationJobsController } from './verification-jobs.controller';
import { VerificationJobRepository } from './verification-job.repository';
import { VerificationJobsService } from './verification-jobs.service';
import { VerificationPumps } from './verification-pumps.service';

/** Bulk verification jobs: accepted by the API, sent by the queue's workers (`VerificationPumps`). */
@Module({
  imports: [AuditModule, UsiModule, JobsModule, WebhooksModule],
  controllers: [VerificationJobsController, VerificationJobExampleController],
  providers: [VerificationJobRepository, VerificationJobsService, VerificationPumps],
  exports: [VerificationJobsService],
})
export class VerificationJobsModule {}
