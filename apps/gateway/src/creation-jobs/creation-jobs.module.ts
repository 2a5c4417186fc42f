import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { JobsModule } from '../jobs/jobs.module';
import { UsiModule } from '../usi/usi.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CreationJobRepository } from './creation-job.repository';
import { CreationJobExampleController, CreationJobsController } from './creation-jobs.controller';
import { CreationJobsService } from './creation-jobs.service';
import { CreationPumps } from './creation-pumps.service';

/** Bulk creation jobs: accepted by the API, uploaded and polled by the queue's workers (`CreationPumps`). */
@Module({
  imports: [UsiModule, JobsModule, AuditModule, WebhooksModule],
  controllers: [CreationJobsController, CreationJobExampleController],
  providers: [CreationJobRepository, CreationJobsService, CreationPumps],
  exports: [CreationJobsService],
})
export class CreationJobsModule {}
