import { Inject, Injectable } from '@nestjs/common';
import type { Verification, VerificationResponse } from '@usi/contract';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { BulkJobsService } from '../jobs/bulk-jobs.service';
import { JobDataSealer } from '../jobs/job-data.sealer';
import type { RawRow } from '../jobs/job-input.parser';
import type { CheckedRows, RejectedRow, SendableRow } from '../jobs/job-row.checker';
import { UsiService } from '../usi/usi.service';
import { BatchResult } from './verification-batch.types';
import { VerificationJobRepository } from './verification-job.repository';
import { VerificationPumps } from './verification-pumps.service';
import { checkRows, VERIFICATION_CSV_COLUMNS } from './verification-row.validator';

type VerificationValue = Omit<Verification, 'recordId'>;

export interface ResultRow {
  row: number;
  recordId: string | null;
  outcome: 'answered' | 'not_sent' | 'failed' | 'pending' | 'cancelled';
  usiStatus: string | null;
  firstName: string | null;
  familyName: string | null;
  singleName: string | null;
  dateOfBirth: string | null;
  reason: string | null;
}

const NO_MATCH_FIELDS = { usiStatus: null, firstName: null, familyName: null, singleName: null, dateOfBirth: null };

/** The API side of bulk verification (`BulkJobsService`): rows checked like a VerifyUSI, results with each field's match. */
@Injectable()
export class VerificationJobsService extends BulkJobsService<VerificationValue, BatchResult, ResultRow> {
  constructor(
    repo: VerificationJobRepository,
    sealer: JobDataSealer,
    private readonly usi: UsiService,
    pumps: VerificationPumps,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({ errors: 'verification_job', path: 'verification-jobs', csvColumns: VERIFICATION_CSV_COLUMNS, outcomeKey: 'byUsiStatus' }, repo, sealer, pumps, config);
  }

  protected get environment(): string {
    return this.usi.environment;
  }

  protected checkRows(rows: RawRow[]): Promise<CheckedRows<VerificationValue>> {
    return checkRows(rows, this.usi.version);
  }

  protected notSent(rejected: RejectedRow): ResultRow {
    return { row: rejected.row, recordId: rejected.recordId, outcome: 'not_sent', ...NO_MATCH_FIELDS, reason: rejected.reasons.join('; ') };
  }

  protected batchRows(input: SendableRow<VerificationValue>[], result: BatchResult | undefined, jobState: string): ResultRow[] {
    const byRow = new Map<number, VerificationResponse>();
    if (result && 'responses' in result) for (const resp of result.responses) byRow.set(Number(resp.recordId), resp);
    return input.map((item) => answerRow(item, byRow.get(item.row), result, jobState));
  }
}

function answerRow(item: SendableRow<VerificationValue>, answer: VerificationResponse | undefined, result: BatchResult | undefined, state: string): ResultRow {
  const base = { row: item.row, recordId: item.recordId };
  if (answer) {
    const a = answer as unknown as Record<string, string | undefined>;
    return { ...base, outcome: 'answered', usiStatus: a.usiStatus ?? null, firstName: a.firstName ?? null, familyName: a.familyName ?? null,
      singleName: a.singleName ?? null, dateOfBirth: a.dateOfBirth ?? null, reason: null };
  }
  if (result && 'errorCode' in result) return { ...base, ...NO_MATCH_FIELDS, outcome: 'failed', reason: result.errorCode };
  if (result) return { ...base, ...NO_MATCH_FIELDS, outcome: 'failed', reason: 'no answer for this row' };
  return { ...base, ...NO_MATCH_FIELDS, outcome: state === 'cancelled' ? 'cancelled' : 'pending', reason: null };
}
