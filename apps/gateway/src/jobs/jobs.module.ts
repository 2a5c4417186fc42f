import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { BulkPumps } from './bulk-pumps.service';
import { JobDataSealer } from './job-data.sealer';

/** What every kind of bulk job shares at run time: the pumps (one cap per vendor) and the sealer of inputs/results. */
@Module({
  imports: [KeysModule],
  providers: [BulkPumps, JobDataSealer],
  exports: [BulkPumps, JobDataSealer],
})
export class JobsModule {}
