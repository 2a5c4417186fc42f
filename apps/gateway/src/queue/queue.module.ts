import { Global, Module } from '@nestjs/common';
import { BullmqJobQueue } from './bullmq-job-queue';
import { JobQueue } from './job-queue';

/** The queue port (`JobQueue`) for every feature; global so features import nothing to enqueue or process. */
@Global()
@Module({
  providers: [BullmqJobQueue, { provide: JobQueue, useExisting: BullmqJobQueue }],
  exports: [JobQueue],
})
export class QueueModule {}
