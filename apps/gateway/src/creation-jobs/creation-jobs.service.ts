import { Inject, Injectable } from '@nestjs/common';
import type { ApplicationResponse } from '@usi/contract';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { BulkJobsService } from '../jobs/bulk-jobs.service';
import { JobDataSealer } from '../jobs/job-data.sealer';
import type { RawRow } from '../jobs/job-input.parser';
import type { CheckedRows, RejectedRow, SendableRow } from '../jobs/job-row.checker';
import { UsiService } from '../usi/usi.service';
import { CreationBatchResult } from './creation-batch.types';
import { CreationJobRepository } from './creation-job.repository';
import { CreationPumps } from './creation-pumps.service';
import { ApplicationValue, checkApplications, CREATION_CSV_COLUMNS } from './creation-row.validator';

/** One result row per input row: the USI the registry created (or matched), or why there is none. */
export interface CreationResultRow {
  row: number;
  recordId: string | null;
  outcome: 'answered' | 'not_sent' | 'failed' | 'pending' | 'cancelled';
  /** The registry's ApplicationResult (`Success`, `MatchFound`, `Failure`, …). */
  result: string | null;
  usi: string | null;
  identityDocumentVerified: string | null;
  reason: string | null;
}

const NO_ANSWER = { result: null, usi: null, identityDocumentVerified: null };

/** The API side of bulk creation (`BulkJobsService`): applications checked like a CreateUSI's, results with the USI. */
@Injectable()
export class CreationJobsService extends BulkJobsService<ApplicationValue, CreationBatchResult, CreationResultRow> {
  constructor(
    repo: CreationJobRepository,
    sealer: JobDataSealer,
    private readonly usi: UsiService,
    pumps: CreationPumps,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({ errors: 'creation_job', path: 'creation-jobs', csvColumns: CREATION_CSV_COLUMNS, outcomeKey: 'byResult' }, repo, sealer, pumps, config);
  }

  protected get environment(): string {
    return this.usi.environment;
  }

  protected checkRows(rows: RawRow[]): Promise<CheckedRows<ApplicationValue>> {
    return checkApplications(rows, this.usi.version);
  }

  protected notSent(rejected: RejectedRow): CreationResultRow {
    return { row: rejected.row, recordId: rejected.recordId, outcome: 'not_sent', ...NO_ANSWER, reason: rejected.reasons.join('; ') };
  }

  protected batchRows(input: SendableRow<ApplicationValue>[], result: CreationBatchResult | undefined, jobState: string): CreationResultRow[] {
    const byRow = new Map<number, ApplicationResponse>();
    if (result && 'applications' in result) for (const a of result.applications) byRow.set(Number(a.applicationId), a);
    return input.map((item) => {
      const base = { row: item.row, recordId: item.recordId };
      const answer = byRow.get(item.row);
      if (answer) {
        const reason = answer.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') || null;
        return { ...base, outcome: 'answered', result: answer.result, usi: answer.usi ?? null, identityDocumentVerified: answer.identityDocumentVerified ?? null, reason };
      }
      if (result && 'errorCode' in result) return { ...base, ...NO_ANSWER, outcome: 'failed', reason: result.errorCode };
      if (result) return { ...base, ...NO_ANSWER, outcome: 'failed', reason: 'no answer for this row' };
      return { ...base, ...NO_ANSWER, outcome: jobState === 'cancelled' ? 'cancelled' : 'pending', reason: null };
    });
  }
}
