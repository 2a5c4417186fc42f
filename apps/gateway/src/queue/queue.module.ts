import { Global, Module } from '@nestjs/common';
import { BullmqJobQueue } from './bullmq-job-queue';
import { JobQueue } from './job-queue';
import { ScheduledJobs } from './scheduled-jobs.service';

/** The queue port (`JobQueue`) and `ScheduledJobs` for every feature; global so features import nothing to use them. */
@Global()
@Module({
  providers: [BullmqJobQueue, { provide: JobQueue, useExisting: BullmqJobQueue }, ScheduledJobs],
  exports: [JobQueue, ScheduledJobs],
})
export class QueueModule {}
