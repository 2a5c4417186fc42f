import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { VerificationResponse } from '@usi/contract';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { UsiTarget } from '../usi/access/organisation-access.service';
import { UsiService } from '../usi/usi.service';
import { JobDataSealer } from './job-data.sealer';
import { InputDocumentError, InputFormat, parseInput } from './verification-input.parser';
import { VerificationJobRepository } from './verification-job.repository';
import { BatchInputRow, BatchResult, ENDED_STATES, VerificationJobRow } from './verification-job.types';
import { VerificationPumps } from './verification-pumps.service';
import { checkRows, RejectedRow } from './verification-row.validator';

/** BulkVerifyUSI's schema limit. */
export const BATCH_SIZE = 500;
const REJECTS_PART = 'rejects';
const RESULTS_PAGE = 10;

export interface JobView {
  id: string;
  orgCode: string;
  state: string;
  dryRun: boolean;
  counts: {
    total: number;
    willSend: number;
    cannotSend: number;
    answered: number;
    failed: number;
    byUsiStatus: Record<string, number>;
  };
  batches: { total: number; done: number };
  progress: number;
  etaSeconds: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  dataDeletedAt: string | null;
  links: { self: string; results: string };
}

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

/** The API side of bulk verification: check and accept an upload, report on it, cancel it, stream its results. */
@Injectable()
export class VerificationJobsService {
  constructor(
    private readonly repo: VerificationJobRepository,
    private readonly sealer: JobDataSealer,
    private readonly usi: UsiService,
    private readonly pumps: VerificationPumps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Reads and checks every row first; `dryRun` stops there and stores nothing. Otherwise the job, its cannot-send
   * rows and its batches (sealed) are stored in one transaction, and the vendor's pumps are woken.
   */
  async create(target: UsiTarget, text: string, format: InputFormat, dryRun: boolean): Promise<{ job: JobView; rejected: RejectedRow[] }> {
    let rows;
    try {
      rows = parseInput(text, format, this.config.jobs.maxRecords);
    } catch (err) {
      if (err instanceof InputDocumentError) throw new AppError('verification_job.invalid_input', err.message);
      throw err;
    }
    const { sendable, rejected } = checkRows(rows, this.usi.version);
    const id = randomUUID();
    const vendorId = target.vendorId;
    const batches = [];
    for (let i = 0; i < sendable.length; i += BATCH_SIZE) {
      const slice = sendable.slice(i, i + BATCH_SIZE);
      const input: BatchInputRow[] = slice.map((r) => ({ row: r.row, recordId: r.recordId, verification: r.verification }));
      batches.push({ batchNo: batches.length + 1, firstRow: slice[0].row, rowCount: slice.length, input: input as unknown as never });
    }
    const row: VerificationJobRow = {
      id,
      vendorId,
      organisationId: target.organisation.id,
      orgCode: target.organisation.orgCode,
      environment: this.usi.environment,
      state: batches.length ? 'queued' : 'completed',
      totalRows: rows.length,
      willSend: sendable.length,
      cannotSend: rejected.length,
      answered: 0,
      failedRows: 0,
      outcomeCounts: {},
      batchesTotal: batches.length,
      batchesDone: 0,
      errorCode: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      dataDeletedAt: null,
    };
    if (dryRun) return { job: this.view(row, true), rejected };
    await this.repo.create(vendorId, {
      ...row,
      rejects: await this.sealer.seal(vendorId, id, REJECTS_PART, rejected),
      batches: await Promise.all(
        batches.map(async (b) => ({ ...b, input: await this.sealer.seal(vendorId, id, `input:${b.batchNo}`, b.input) })),
      ),
    });
    if (batches.length) await this.pumps.wake(vendorId, row.environment);
    return { job: this.view(row, false), rejected };
  }

  async get(target: UsiTarget, id: string): Promise<JobView> {
    return this.view(await this.require(target, id), false);
  }

  async cancel(target: UsiTarget, id: string): Promise<JobView> {
    const job = await this.require(target, id);
    if (!(await this.repo.cancel(target.vendorId, job.id))) {
      throw new AppError('verification_job.not_cancellable', `The job is ${job.state}`);
    }
    return this.get(target, id);
  }

  /**
   * One row per input row, in row order: cannot-send rows with their reasons merged between the batches' rows.
   * Decrypted one page of batches at a time, so a 100,000-row job is never held in memory at once.
   */
  async *results(target: UsiTarget, id: string): AsyncGenerator<ResultRow> {
    const job = await this.require(target, id);
    if (job.dataDeletedAt || !job.rejects) throw new AppError('verification_job.results_deleted', 'Inputs and results are deleted after retention');
    const vendorId = target.vendorId;
    const rejected = await this.sealer.open<RejectedRow[]>(vendorId, job.id, REJECTS_PART, job.rejects);
    let r = 0;
    const rejectsBefore = function* (row: number): Generator<ResultRow> {
      while (r < rejected.length && rejected[r].row < row) yield notSent(rejected[r++]);
    };
    let after = 0;
    for (;;) {
      const page = await this.repo.batchesPage(vendorId, job.id, after, RESULTS_PAGE);
      if (!page.length) break;
      for (const batch of page) {
        after = batch.batchNo;
        if (!batch.input) continue;
        const input = await this.sealer.open<BatchInputRow[]>(vendorId, job.id, `input:${batch.batchNo}`, batch.input);
        const result = batch.result ? await this.sealer.open<BatchResult>(vendorId, job.id, `result:${batch.batchNo}`, batch.result) : undefined;
        const byRow = new Map<number, VerificationResponse>();
        if (result && 'responses' in result) for (const resp of result.responses) byRow.set(Number(resp.recordId), resp);
        for (const item of input) {
          yield* rejectsBefore(item.row);
          yield answerRow(item, byRow.get(item.row), result, job.state);
        }
      }
    }
    yield* rejectsBefore(Number.MAX_SAFE_INTEGER);
  }

  private async require(target: UsiTarget, id: string) {
    const job = await this.repo.find(target.vendorId, target.organisation.id, id);
    if (!job) throw new NotFoundError('verification_job');
    return job;
  }

  private view(job: VerificationJobRow, dryRun: boolean): JobView {
    const base = `/v1/organisations/${job.orgCode}/verification-jobs/${job.id}`;
    const progress = job.batchesTotal ? job.batchesDone / job.batchesTotal : ENDED_STATES.includes(job.state) ? 1 : 0;
    return {
      id: job.id,
      orgCode: job.orgCode,
      state: dryRun ? 'validating' : job.state,
      dryRun,
      counts: {
        total: job.totalRows,
        willSend: job.willSend,
        cannotSend: job.cannotSend,
        answered: job.answered,
        failed: job.failedRows,
        byUsiStatus: job.outcomeCounts,
      },
      batches: { total: job.batchesTotal, done: job.batchesDone },
      progress: Math.round(progress * 1000) / 1000,
      etaSeconds: eta(job),
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      dataDeletedAt: job.dataDeletedAt?.toISOString() ?? null,
      links: { self: base, results: `${base}/results` },
    };
  }
}

/** From the pace so far: elapsed per batch done × batches left. Unknown until a batch is done. */
function eta(job: VerificationJobRow): number | null {
  if (job.state !== 'running' || !job.startedAt || job.batchesDone === 0) return null;
  const perBatch = (Date.now() - job.startedAt.getTime()) / job.batchesDone;
  return Math.ceil((perBatch * (job.batchesTotal - job.batchesDone)) / 1000);
}

function notSent(rejected: RejectedRow): ResultRow {
  return { row: rejected.row, recordId: rejected.recordId, outcome: 'not_sent', usiStatus: null, firstName: null, familyName: null,
    singleName: null, dateOfBirth: null, reason: rejected.reasons.join('; ') };
}

function answerRow(item: BatchInputRow, answer: VerificationResponse | undefined, result: BatchResult | undefined, state: string): ResultRow {
  const base = { row: item.row, recordId: item.recordId };
  if (answer) {
    const a = answer as unknown as Record<string, string | undefined>;
    return { ...base, outcome: 'answered', usiStatus: a.usiStatus ?? null, firstName: a.firstName ?? null, familyName: a.familyName ?? null,
      singleName: a.singleName ?? null, dateOfBirth: a.dateOfBirth ?? null, reason: null };
  }
  const empty = { usiStatus: null, firstName: null, familyName: null, singleName: null, dateOfBirth: null };
  if (result && 'errorCode' in result) return { ...base, ...empty, outcome: 'failed', reason: result.errorCode };
  if (result) return { ...base, ...empty, outcome: 'failed', reason: 'no answer for this row' };
  return { ...base, ...empty, outcome: state === 'cancelled' ? 'cancelled' : 'pending', reason: null };
}
