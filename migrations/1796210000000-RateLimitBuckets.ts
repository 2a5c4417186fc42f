import { MigrationInterface, QueryRunner } from 'typeorm';

/** The contract of `rate_limit_take`, kept by every later version of it. */
export const RATE_LIMIT_TAKE_SIGNATURE = 'rate_limit_take(p_keys text[], p_limits integer[], p_window_ms double precision)';
export const RATE_LIMIT_TAKE_RETURNS =
  'TABLE (allowed boolean, retry_after_ms double precision, remaining integer[], reset_ms double precision[])';

/** This migration's version of the function (language, settings and body); RateLimitTakeOneLock's `down` restores it. */
export const RATE_LIMIT_TAKE_BODY = `LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
       DECLARE
         now_ms double precision;
         interval_ms double precision;
         bucket_tat double precision;
         new_tats double precision[] := '{}';
       BEGIN
         INSERT INTO rate_limit_buckets AS b (key, tat)
           SELECT k, 0 FROM unnest(p_keys) AS k ORDER BY k ON CONFLICT (key) DO NOTHING;
         PERFORM 1 FROM rate_limit_buckets b WHERE b.key = ANY (p_keys) ORDER BY b.key FOR UPDATE;
         now_ms := extract(epoch from clock_timestamp()) * 1000;
         allowed := true;
         retry_after_ms := 0;
         remaining := '{}';
         reset_ms := '{}';
         FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
           interval_ms := p_window_ms / p_limits[i];
           SELECT greatest(b.tat, now_ms) INTO bucket_tat FROM rate_limit_buckets b WHERE b.key = p_keys[i];
           IF now_ms < bucket_tat + interval_ms - p_window_ms THEN
             allowed := false;
             retry_after_ms := greatest(retry_after_ms, bucket_tat + interval_ms - p_window_ms - now_ms);
             remaining := remaining || 0;
             reset_ms := reset_ms || (bucket_tat - now_ms);
           ELSE
             remaining := remaining || floor((p_window_ms - (bucket_tat + interval_ms - now_ms)) / interval_ms + 1e-9)::integer;
             reset_ms := reset_ms || (bucket_tat + interval_ms - now_ms);
           END IF;
           new_tats := new_tats || (bucket_tat + interval_ms);
         END LOOP;
         IF allowed THEN
           UPDATE rate_limit_buckets b SET tat = n.tat FROM unnest(p_keys, new_tats) AS n(key, tat) WHERE b.key = n.key;
         END IF;
         RETURN NEXT;
       END $$`;

/**
 * Rate-limit buckets for gateways without Redis. UNLOGGED: counters need no crash safety or replication, and skipping
 * the WAL keeps the per-request write cheap. Not tenant data (keys are opaque), so no RLS; `migrate` grants DML.
 *
 * `rate_limit_take` is GCRA over several buckets at once: each row holds the bucket's theoretical arrival time (ms);
 * a request is admitted only if every bucket admits it, and then every bucket is charged. Rows are locked in key
 * order, so concurrent calls sharing a bucket serialise without deadlocking.
 */
export class RateLimitBuckets1796210000000 implements MigrationInterface {
  name = 'RateLimitBuckets1796210000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE UNLOGGED TABLE rate_limit_buckets (
         key text PRIMARY KEY CHECK (length(key) <= 300),
         tat double precision NOT NULL)`,
      `CREATE FUNCTION ${RATE_LIMIT_TAKE_SIGNATURE} RETURNS ${RATE_LIMIT_TAKE_RETURNS}
       ${RATE_LIMIT_TAKE_BODY}`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS rate_limit_take(text[], integer[], double precision)`);
    await q.query(`DROP TABLE IF EXISTS rate_limit_buckets`);
  }
}
