import type { EntityManager } from 'typeorm';
import type { CursorPosition } from '../common/pagination/cursor';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import type { Envelope } from '../keys/key-provider';
import type { BatchOutcome } from './batch-outcome';
import type { ClaimedBatch, JobRow } from './job.types';

/** A job as accepted: its identity and first counts, its sealed cannot-send rows and its sealed batches. */
export type NewJob = Pick<JobRow, 'id' | 'organisationId' | 'orgCode' | 'environment' | 'state' | 'totalRows' | 'willSend' | 'cannotSend'> & {
  rejects: Envelope;
  batches: { batchNo: number; firstRow: number; rowCount: number; input: Envelope }[];
};

const JOB_COLUMNS = `id, vendor_id as "vendorId", organisation_id as "organisationId", org_code as "orgCode", environment, state,
  total_rows as "totalRows", will_send as "willSend", cannot_send as "cannotSend", answered, failed_rows as "failedRows",
  outcome_counts as "outcomeCounts", batches_total as "batchesTotal", batches_done as "batchesDone", error_code as "errorCode",
  created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt", data_deleted_at as "dataDeletedAt"`;

/** Rows inserted per statement: a batch envelope is ~50-100 kB, so a few at a time. */
const INSERT_CHUNK = 20;

/** The two tables of one kind of job, and how its statements name themselves in platform scope. */
export interface JobTables {
  jobs: 'verification_jobs' | 'creation_jobs';
  batches: 'verification_job_batches' | 'creation_job_batches';
  label: string;
  /**
   * Batches still to be worked after their job was cancelled, as SQL on the batch alias given (creation: an uploaded
   * batch is still polled, or the USIs the registry created for it would never be reported).
   */
  afterCancel?: (batch: string) => string;
}

/** TypeORM answers an UPDATE/DELETE … RETURNING as `[rows, affected]` and a SELECT or INSERT as the rows. */
export async function returned<T>(result: Promise<unknown>): Promise<T[]> {
  const value = (await result) as unknown[];
  return (Array.isArray(value[0]) ? value[0] : value) as T[];
}

/**
 * The store of a kind of bulk job (verification, creation): a job row with its counts and batches of at most 500 rows,
 * each claimed with a lease before it is sent. Every statement runs in the job's tenant scope (RLS), and filters by
 * vendor as well. The table names are constants of the subclass, never input.
 */
export abstract class JobRepository {
  protected constructor(
    protected readonly tx: TenantTransaction,
    private readonly t: JobTables,
  ) {}

  create(vendorId: VendorId, job: NewJob): Promise<void> {
    return this.tx.runInTenant(vendorId, async (m) => {
      await m.query(
        `insert into ${this.t.jobs} (id, vendor_id, organisation_id, org_code, environment, state, total_rows, will_send,
           cannot_send, batches_total, rejects, finished_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, case when $6 in ('completed', 'failed') then now() end)`,
        [job.id, vendorId, job.organisationId, job.orgCode, job.environment, job.state, job.totalRows, job.willSend, job.cannotSend,
          job.batches.length, JSON.stringify(job.rejects)],
      );
      for (let i = 0; i < job.batches.length; i += INSERT_CHUNK) {
        const chunk = job.batches.slice(i, i + INSERT_CHUNK);
        await m.query(
          `insert into ${this.t.batches} (job_id, vendor_id, batch_no, first_row, row_count, input)
           select $1, $2, b, f, c, i from unnest($3::int[], $4::int[], $5::int[], $6::jsonb[]) as t(b, f, c, i)`,
          [job.id, vendorId, chunk.map((b) => b.batchNo), chunk.map((b) => b.firstRow), chunk.map((b) => b.rowCount),
            chunk.map((b) => JSON.stringify(b.input))],
        );
      }
    });
  }

  async find(vendorId: VendorId, organisationId: string, id: string): Promise<(JobRow & { rejects: Envelope | null }) | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.tx.runInTenant(vendorId, (m) =>
      m.query(`select ${JOB_COLUMNS}, rejects from ${this.t.jobs} where vendor_id = $1 and organisation_id = $2 and id = $3`, [
        vendorId, organisationId, id,
      ]),
    );
    return row;
  }

  /**
   * The vendor's jobs, newest first, `limit` after the cursor's position; of one organisation, or of all of the
   * vendor's when `organisationId` is null. `created_at` holds microseconds and a cursor milliseconds: both the order
   * and the comparison use the millisecond value, so a page never skips a job created in the same millisecond.
   */
  list(vendorId: VendorId, organisationId: string | null, limit: number, after?: CursorPosition): Promise<JobRow[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${JOB_COLUMNS} from ${this.t.jobs}
          where vendor_id = $1 and ($2::uuid is null or organisation_id = $2)
            and ($3::timestamptz is null or (date_trunc('milliseconds', created_at), id) < ($3, $4::uuid))
          order by date_trunc('milliseconds', created_at) desc, id desc limit $5`,
        [vendorId, organisationId, after?.createdAt ?? null, after?.id ?? null, limit],
      ),
    );
  }

  /** True when the job was still going and is now cancelled: its pending batches will not be claimed. */
  async cancel(vendorId: VendorId, id: string): Promise<boolean> {
    const rows = await this.tx.runInTenant(vendorId, (m) =>
      returned(m.query(
        `update ${this.t.jobs} set state = 'cancelled', finished_at = now()
          where vendor_id = $1 and id = $2 and state in ('validating', 'queued', 'running') returning id`,
        [vendorId, id],
      )),
    );
    return rows.length > 0;
  }

  /**
   * The next batch this vendor may send, fairly: the organisation served least recently first (round-robin across
   * organisations with work), then the oldest job, then batch order. A batch in `sending` whose lease has passed
   * (its worker died) is claimed again: that is the one resend a crash can cause. SKIP LOCKED: concurrent claimers
   * never wait for each other nor take the same batch.
   */
  claimNext(vendorId: VendorId, environment: string, leaseMs: number): Promise<ClaimedBatch | undefined> {
    return this.tx.runInTenant(vendorId, (m) => this.claimIn(m, vendorId, environment, leaseMs));
  }

  /**
   * One statement (it runs inside a batch's finish as well): picks the batch, leases it, and marks its job running and
   * its organisation served, so the round-robin moves on.
   */
  private async claimIn(m: EntityManager, vendorId: VendorId, environment: string, leaseMs: number): Promise<ClaimedBatch | undefined> {
    const [batch] = await returned<Omit<ClaimedBatch, 'vendorId'>>(m.query(
      `with pick as (
         select b2.job_id, b2.batch_no
           from ${this.t.batches} b2 join ${this.t.jobs} j on j.id = b2.job_id
          where b2.vendor_id = $1 and j.vendor_id = $1 and j.environment = $2 and ${this.workable('b2')}
            and ((b2.state = 'pending' and b2.not_before <= now()) or (b2.state = 'sending' and b2.lease_until < now()))
          order by (select max(o.last_claimed_at) from ${this.t.jobs} o
                     where o.vendor_id = $1 and o.organisation_id = j.organisation_id) nulls first,
                   j.created_at, b2.batch_no
          limit 1
          for update of b2 skip locked),
       claimed as (
         update ${this.t.batches} b
            set state = 'sending', attempts = b.attempts + 1, sent_at = now(),
                lease_until = now() + make_interval(secs => $3::double precision / 1000)
           from pick
          where b.job_id = pick.job_id and b.batch_no = pick.batch_no
          returning b.job_id, b.batch_no, b.attempts, b.input),
       job as (
         update ${this.t.jobs} j
            set state = case when j.state = 'queued' then 'running' else j.state end,
                started_at = coalesce(j.started_at, now()), last_claimed_at = now()
           from claimed
          where j.id = claimed.job_id and j.vendor_id = $1
          returning j.org_code)
       select claimed.job_id as "jobId", claimed.batch_no as "batchNo", claimed.attempts, claimed.input, job.org_code as "orgCode"
         from claimed, job`,
      [vendorId, environment, leaseMs],
    ));
    return batch ? { ...batch, vendorId } : undefined;
  }

  /**
   * Stores a batch's sealed result and adds its counts, once: a batch answered twice (its lease passed while the
   * first answer was on its way) keeps the first. The job completes with its last batch: `ended` is the job as that
   * batch left it (completed or failed), for the event that announces it; undefined while batches remain.
   * `alsoCommit` runs in the same transaction whether or not the result is stored (the audit of the batch's
   * exchanges: they happened either way). The statements that lock rows other pumps and requests also wait for (the
   * organisation's audit chain head, the job's row) come last, so those locks are held only until the commit.
   * `claimNext` claims the vendor's next batch in the same transaction (as `claimNext` would, after this one's
   * counts): one transaction per batch instead of two.
   */
  finishBatch(
    vendorId: VendorId,
    jobId: string,
    batchNo: number,
    result: Envelope,
    outcome: BatchOutcome,
    options: {
      errorCode?: string | undefined;
      alsoCommit?: (m: EntityManager) => Promise<void>;
      claimNext?: { environment: string; leaseMs: number } | undefined;
    } = {},
  ): Promise<{ stored: boolean; ended?: JobRow; next?: ClaimedBatch }> {
    const { errorCode } = options;
    return this.tx.runInTenant(vendorId, async (m) => {
      const stored = await returned(m.query(
        `update ${this.t.batches} set state = $4, result = $5, error_code = $6, answered_at = now(), lease_until = null
          where vendor_id = $1 and job_id = $2 and batch_no = $3 and state = 'sending' returning batch_no`,
        [vendorId, jobId, batchNo, errorCode ? 'failed' : 'done', JSON.stringify(result), errorCode ?? null],
      ));
      await options.alsoCommit?.(m);
      const [job] = stored.length ? await this.addCounts(m, vendorId, jobId, outcome) : [];
      const ended = job && job.batchesDone >= job.batchesTotal && (job.state === 'completed' || job.state === 'failed') ? job : undefined;
      const { claimNext } = options;
      const next = claimNext ? await this.claimIn(m, vendorId, claimNext.environment, claimNext.leaseMs) : undefined;
      return { stored: stored.length > 0, ...(ended ? { ended } : {}), ...(next ? { next } : {}) };
    });
  }

  /** A retryable failure: back to pending, not before `delayMs`. */
  async retryLater(vendorId: VendorId, jobId: string, batchNo: number, delayMs: number): Promise<void> {
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `update ${this.t.batches} set state = 'pending', lease_until = null,
                not_before = now() + make_interval(secs => $4::double precision / 1000)
          where vendor_id = $1 and job_id = $2 and batch_no = $3 and state = 'sending'`,
        [vendorId, jobId, batchNo, delayMs],
      ),
    );
  }

  /** Batches of a job in row order, `limit` at a time after `afterBatch` (results are streamed page by page). */
  batchesPage(vendorId: VendorId, jobId: string, afterBatch: number, limit: number): Promise<{ batchNo: number; input: Envelope | null; result: Envelope | null; state: string }[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select batch_no as "batchNo", input, result, state from ${this.t.batches}
          where vendor_id = $1 and job_id = $2 and batch_no > $3 order by batch_no limit $4`,
        [vendorId, jobId, afterBatch, limit],
      ),
    );
  }

  /** Vendors with batches that could be claimed now (for the periodic re-kick of their pumps). */
  vendorsWithWork(): Promise<{ vendorId: VendorId; environment: string }[]> {
    return this.tx.runInPlatformScope(`${this.t.label}: find vendors with batches to send`, (m) =>
      m.query(
        `select distinct j.vendor_id as "vendorId", j.environment from ${this.t.batches} b
           join ${this.t.jobs} j on j.id = b.job_id
          where ${this.workable('b')}
            and ((b.state = 'pending' and b.not_before <= now()) or (b.state = 'sending' and b.lease_until < now()))`,
      ),
    );
  }

  /** The jobs whose batches are claimed (`j`): those going, and what a cancelled job still needs done. */
  private workable(batch: string): string {
    const afterCancel = this.t.afterCancel ? ` or (j.state = 'cancelled' and (${this.t.afterCancel(batch)}))` : '';
    return `(j.state in ('queued', 'running')${afterCancel})`;
  }

  /** Deletes inputs and results of jobs ended more than `days` ago; the jobs and their counts stay. */
  async purgeData(days: number): Promise<number> {
    return this.tx.runInPlatformScope(`${this.t.label}: retention of inputs and results`, async (m) => {
      const jobs = await returned<{ id: string }>(m.query(
        `update ${this.t.jobs} set rejects = null, data_deleted_at = now()
          where data_deleted_at is null and finished_at < now() - make_interval(days => $1) returning id`,
        [days],
      ));
      if (jobs.length) {
        await m.query(`update ${this.t.batches} set input = null, result = null where job_id = any($1::uuid[])`, [jobs.map((j) => j.id)]);
      }
      return jobs.length;
    });
  }

  private addCounts(m: EntityManager, vendorId: VendorId, jobId: string, o: BatchOutcome): Promise<JobRow[]> {
    return returned<JobRow>(m.query(
      `update ${this.t.jobs} j
          set answered = answered + $3, failed_rows = failed_rows + $4, batches_done = batches_done + 1,
              outcome_counts = (select coalesce(jsonb_object_agg(k, coalesce((j.outcome_counts ->> k)::int, 0) + coalesce(($5::jsonb ->> k)::int, 0)), '{}'::jsonb)
                                  from (select jsonb_object_keys(j.outcome_counts) as k union select jsonb_object_keys($5::jsonb)) keys),
              state = case when j.state = 'running' and batches_done + 1 >= batches_total
                           then (case when answered + $3 = 0 and will_send > 0 then 'failed' else 'completed' end) else j.state end,
              finished_at = case when j.state = 'running' and batches_done + 1 >= batches_total then now() else finished_at end
        where id = $2 and vendor_id = $1
        returning ${JOB_COLUMNS}`,
      [vendorId, jobId, o.answered, o.failedRows, JSON.stringify(o.outcomes)],
    ));
  }
}
