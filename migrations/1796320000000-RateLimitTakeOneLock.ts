import { MigrationInterface, QueryRunner } from 'typeorm';
import { RATE_LIMIT_TAKE_BODY, RATE_LIMIT_TAKE_RETURNS, RATE_LIMIT_TAKE_SIGNATURE } from './1796210000000-RateLimitBuckets';

/**
 * `rate_limit_take` with fewer statements on the hot path: the buckets are locked (in key order, so concurrent calls
 * cannot deadlock) and read in one statement, created only on first use, and charged in one UPDATE. The first
 * version ran five statements per call (insert-if-missing, lock, one read per bucket, update).
 */
export class RateLimitTakeOneLock1796320000000 implements MigrationInterface {
  name = 'RateLimitTakeOneLock1796320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ${RATE_LIMIT_TAKE_SIGNATURE} RETURNS ${RATE_LIMIT_TAKE_RETURNS}
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        n integer := coalesce(array_length(p_keys, 1), 0);
        found_keys text[];
        found_tats double precision[];
        now_ms double precision;
        interval_ms double precision;
        bucket_tat double precision;
        new_tats double precision[] := '{}';
      BEGIN
        SELECT array_agg(l.key), array_agg(l.tat) INTO found_keys, found_tats
          FROM (SELECT b.key, b.tat FROM rate_limit_buckets b WHERE b.key = ANY (p_keys) ORDER BY b.key FOR UPDATE) l;
        IF coalesce(array_length(found_keys, 1), 0) < n THEN
          INSERT INTO rate_limit_buckets AS b (key, tat)
            SELECT k, 0 FROM unnest(p_keys) AS k ORDER BY k ON CONFLICT (key) DO NOTHING;
          SELECT array_agg(l.key), array_agg(l.tat) INTO found_keys, found_tats
            FROM (SELECT b.key, b.tat FROM rate_limit_buckets b WHERE b.key = ANY (p_keys) ORDER BY b.key FOR UPDATE) l;
        END IF;
        now_ms := extract(epoch from clock_timestamp()) * 1000;
        allowed := true;
        retry_after_ms := 0;
        remaining := '{}';
        reset_ms := '{}';
        FOR i IN 1 .. n LOOP
          interval_ms := p_window_ms / p_limits[i];
          bucket_tat := greatest(found_tats[array_position(found_keys, p_keys[i])], now_ms);
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
          UPDATE rate_limit_buckets b SET tat = u.tat FROM unnest(p_keys, new_tats) AS u(key, tat) WHERE b.key = u.key;
        END IF;
        RETURN NEXT;
      END $$`);
  }

  /** Back to the first version (same contract and GCRA). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ${RATE_LIMIT_TAKE_SIGNATURE} RETURNS ${RATE_LIMIT_TAKE_RETURNS}\n${RATE_LIMIT_TAKE_BODY}`);
  }
}
