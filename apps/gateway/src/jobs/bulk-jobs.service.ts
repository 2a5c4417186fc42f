import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { Envelope } from '../keys/key-provider';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { isQueueUnavailable } from '../queue/queue-unavailable.error';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination/cursor';
import type { VendorId } from '../database/vendor-id';
import type { AppConfig } from '../config/app-config';
import type { UsiTarget } from '../usi/access/organisation-access.service';
import { JobDataSealer } from './job-data.sealer';
import { InputDocumentError, InputFormat, parseInput, RawRow } from './job-input.parser';
import type { JobPumps } from './job-pumps';
import type { JobRepository } from './job.repository';
import { CheckedRows, RejectedRow, SendableRow } from './job-row.checker';
import { ENDED_STATES, JobRow } from './job.types';

/** The schema's limit for BulkVerifyUSI and BulkUpload alike. */
export const BATCH_SIZE = 500;
const REJECTS_PART = 'rejects';
const RESULTS_PAGE = 10;
/** Batches sealed side by side during an upload: libuv's default thread pool size. */
const SEAL_TOGETHER = 4;

/** What tells one kind of bulk job from another in the API: error codes, path, and the name of its outcome counts. */
export interface JobKind {
  /** `verification_job` → `verification_job.not_found`, `.invalid_input`, `.not_cancellable`, `.results_deleted`. */
  errors: 'verification_job' | 'creation_job';
  /** The collection under `/v1/organisations/{orgCode}/`. */
  path: 'verification-jobs' | 'creation-jobs';
  /** The CSV columns an upload may have. */
  csvColumns: readonly string[];
  /** The key of the counts per outcome in the job's view (`byUsiStatus`, `byResult`). */
  outcomeKey: string;
}

export interface JobView {
  id: string;
  orgCode: string;
  state: string;
  dryRun: boolean;
  counts: { total: number; willSend: number; cannotSend: number; answered: number; failed: number; [byOutcome: string]: number | Record<string, number> };
  batches: { total: number; done: number };
  progress: number;
  etaSeconds: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  dataDeletedAt: string | null;
  links: { self: string; results: string };
}

/**
 * The API side of a kind of bulk job: check and accept an upload, report on it, cancel it, stream its results. The
 * kind supplies its row check and how a batch's sealed result becomes result rows; storage, sealing, batching, views
 * and the row-order merge of cannot-send rows are the same for every kind.
 */
export abstract class BulkJobsService<TValue, TResult, TRow> {
  private readonly logger = new Logger(this.constructor.name);

  protected constructor(
    private readonly kind: JobKind,
    private readonly repo: JobRepository,
    private readonly sealer: JobDataSealer,
    private readonly pumps: JobPumps,
    private readonly config: AppConfig,
  ) {}

  protected abstract get environment(): string;
  protected abstract checkRows(rows: RawRow[]): Promise<CheckedRows<TValue>>;
  /** A row that was not sent, with its reasons. */
  protected abstract notSent(rejected: RejectedRow): TRow;
  /** The result rows of one batch, in its row order; `result` is undefined while the batch is not answered. */
  protected abstract batchRows(input: SendableRow<TValue>[], result: TResult | undefined, jobState: string): TRow[];

  /**
   * Reads and checks every row first; `dryRun` stops there and stores nothing. Otherwise the job, its cannot-send
   * rows and its batches (sealed) are stored in one transaction, and the vendor's pumps are woken. Once stored the job is
   * accepted whatever the queue does: a queue that does not answer in time (`queue.unavailable`) is logged, and the
   * pumps are woken by the add itself once the queue is back, or by the periodic wake (`bulk-jobs-wake`).
   */
  async create(target: UsiTarget, text: string, format: InputFormat, dryRun: boolean): Promise<{ job: JobView; rejected: RejectedRow[] }> {
    let rows;
    try {
      rows = parseInput(text, format, this.config.jobs.maxRecords, this.kind.csvColumns);
    } catch (err) {
      if (err instanceof InputDocumentError) throw new AppError(`${this.kind.errors}.invalid_input`, err.message);
      throw err;
    }
    const { sendable, rejected } = await this.checkRows(rows);
    const id = randomUUID();
    const vendorId = target.vendorId;
    const batches: { batchNo: number; firstRow: number; rowCount: number; input: SendableRow<TValue>[] }[] = [];
    for (let i = 0; i < sendable.length; i += BATCH_SIZE) {
      const slice = sendable.slice(i, i + BATCH_SIZE);
      batches.push({ batchNo: batches.length + 1, firstRow: slice[0].row, rowCount: slice.length, input: slice });
    }
    const row: JobRow = {
      id,
      vendorId,
      organisationId: target.organisation.id,
      orgCode: target.organisation.orgCode,
      environment: this.environment,
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
      batches: await this.sealAll(vendorId, id, batches),
    });
    if (batches.length) await this.wakePumps(vendorId, row.environment, id);
    return { job: this.view(row, false), rejected };
  }

  private async wakePumps(vendorId: VendorId, environment: string, jobId: string): Promise<void> {
    try {
      await this.pumps.wake(vendorId, environment);
    } catch (err) {
      if (!isQueueUnavailable(err)) throw err;
      this.logger.warn({ msg: 'job stored, its pumps not woken: queue unavailable (the periodic wake starts them)', jobId, code: err.code });
    }
  }

  /**
   * A few batches at a time, each group in its own turn of the event loop (as the row check: see `sortRows`): their
   * compression runs on libuv's threads (4 by default) side by side.
   */
  private async sealAll<B extends { batchNo: number; input: unknown }>(vendorId: VendorId, id: string, batches: B[]): Promise<(B & { input: Envelope })[]> {
    const sealed: (B & { input: Envelope })[] = [];
    for (let i = 0; i < batches.length; i += SEAL_TOGETHER) {
      await nextTurn();
      const group = batches.slice(i, i + SEAL_TOGETHER);
      sealed.push(...(await Promise.all(group.map(async (b) => ({ ...b, input: await this.sealer.seal(vendorId, id, `input:${b.batchNo}`, b.input) })))));
    }
    return sealed;
  }

  async get(target: UsiTarget, id: string): Promise<JobView> {
    return this.view(await this.require(target, id), false);
  }

  /** The organisation's jobs, newest first, cursor-paged; each as `get` shows it. */
  async list(target: UsiTarget, page: PageQuery): Promise<Page<JobView>> {
    return this.page(target.vendorId, target.organisation.id, page);
  }

  /** The vendor's most recent jobs across its organisations (for the vendor console). */
  async recent(vendorId: VendorId, limit: number): Promise<JobView[]> {
    return (await this.page(vendorId, null, { limit })).items;
  }

  async cancel(target: UsiTarget, id: string): Promise<JobView> {
    const job = await this.require(target, id);
    if (!(await this.repo.cancel(target.vendorId, job.id))) {
      throw new AppError(`${this.kind.errors}.not_cancellable`, `The job is ${job.state}`);
    }
    return this.get(target, id);
  }

  /**
   * One row per input row, in row order: cannot-send rows with their reasons merged between the batches' rows.
   * Decrypted one page of batches at a time, so a 100,000-row job is never held in memory at once.
   */
  async *results(target: UsiTarget, id: string): AsyncGenerator<TRow> {
    const job = await this.require(target, id);
    if (job.dataDeletedAt || !job.rejects) throw new AppError(`${this.kind.errors}.results_deleted`, 'Inputs and results are deleted after retention');
    const vendorId = target.vendorId;
    const rejected = await this.sealer.open<RejectedRow[]>(vendorId, job.id, REJECTS_PART, job.rejects);
    let r = 0;
    const notSent = (rejectedRow: RejectedRow) => this.notSent(rejectedRow);
    const rejectsBefore = function* (row: number): Generator<TRow> {
      while (r < rejected.length && rejected[r].row < row) yield notSent(rejected[r++]);
    };
    let after = 0;
    for (;;) {
      const page = await this.repo.batchesPage(vendorId, job.id, after, RESULTS_PAGE);
      if (!page.length) break;
      for (const batch of page) {
        after = batch.batchNo;
        if (!batch.input) continue;
        const input = await this.sealer.open<SendableRow<TValue>[]>(vendorId, job.id, `input:${batch.batchNo}`, batch.input);
        const result = batch.result ? await this.sealer.open<TResult>(vendorId, job.id, `result:${batch.batchNo}`, batch.result) : undefined;
        const rows = this.batchRows(input, result, job.state);
        for (let i = 0; i < input.length; i++) {
          yield* rejectsBefore(input[i].row);
          yield rows[i];
        }
      }
    }
    yield* rejectsBefore(Number.MAX_SAFE_INTEGER);
  }

  private async page(vendorId: VendorId, organisationId: string | null, page: PageQuery): Promise<Page<JobView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const { items, nextCursor } = toPage(await this.repo.list(vendorId, organisationId, page.limit + 1, after), page.limit);
    return { items: items.map((job) => this.view(job, false)), nextCursor };
  }

  private async require(target: UsiTarget, id: string) {
    const job = await this.repo.find(target.vendorId, target.organisation.id, id);
    if (!job) throw new NotFoundError(this.kind.errors);
    return job;
  }

  private view(job: JobRow, dryRun: boolean): JobView {
    const base = `/v1/organisations/${job.orgCode}/${this.kind.path}/${job.id}`;
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
        [this.kind.outcomeKey]: job.outcomeCounts,
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
function eta(job: JobRow): number | null {
  if (job.state !== 'running' || !job.startedAt || job.batchesDone === 0) return null;
  const perBatch = (Date.now() - job.startedAt.getTime()) / job.batchesDone;
  return Math.ceil((perBatch * (job.batchesTotal - job.batchesDone)) / 1000);
}
