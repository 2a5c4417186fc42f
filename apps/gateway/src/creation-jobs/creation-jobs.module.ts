import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { JobDataSealer } from '../jobs/job-data.sealer';
import { KeysModule } from '../keys/keys.module';
import { UsiModule } from '../usi/usi.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CreationJobRepository } from './creation-job.repository';
import { CreationJobsController } from './creation-jobs.controller';
import { CreationJobsService } from './creation-jobs.service';
import { CreationPumps } from './creation-pumps.service';

/** Bulk creation jobs: accepted by the API, uploaded and polled by the queue's workers (`CreationPumps`). */
@Module({
  imports: [UsiModule, KeysModule, AuditModule, WebhooksModule],
  controllers: [CreationJobsController],
  providers: [JobDataSealer, CreationJobRepository, CreationJobsService, CreationPumps],
})
export class CreationJobsModule {}
