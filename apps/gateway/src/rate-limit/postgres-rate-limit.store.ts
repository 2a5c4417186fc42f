import { DataSource } from 'typeorm';
import { Bucket, RateDecision, RateLimitStore } from './rate-limit.types';

interface TakeRow {
  allowed: boolean;
  retry_after_ms: number;
  remaining: number[];
  reset_ms: number[];
}

/**
 * The same GCRA as the Redis script, in the `rate_limit_take` SQL function (migration RateLimitBuckets) on an UNLOGGED
 * table: one round trip, outside any tenant transaction (the table holds counters, not tenant data).
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly kind = 'postgres';

  constructor(private readonly dataSource: DataSource) {}

  async take(buckets: Bucket[], windowMs: number): Promise<RateDecision> {
    const [row]: TakeRow[] = await this.dataSource.query(`select * from rate_limit_take($1::text[], $2::int[], $3, $4::int[])`, [
      buckets.map((b) => b.key),
      buckets.map((b) => b.limit),
      windowMs,
      buckets.map((b) => b.cost ?? 1),
    ]);
    return {
      allowed: row.allowed,
      retryAfterMs: Math.ceil(Number(row.retry_after_ms)),
      states: buckets.map((bucket, i) => ({
        bucket,
        remaining: row.remaining[i],
        resetMs: Math.ceil(Number(row.reset_ms[i])),
      })),
    };
  }

  /** Buckets past their arrival time are as good as absent. */
  async purgeIdle(): Promise<void> {
    await this.dataSource.query(`delete from rate_limit_buckets where tat < extract(epoch from clock_timestamp()) * 1000`);
  }

  async close(): Promise<void> {}
}
