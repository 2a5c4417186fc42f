import { MigrationInterface, QueryRunner } from 'typeorm';
import { RateLimitTakeOneLock1796320000000 } from './1796320000000-RateLimitTakeOneLock';

const OLD_ARGUMENTS = 'text[], integer[], double precision';

/**
 * `rate_limit_take` charges each bucket `p_costs[i]` requests (default 1) instead of always one, so a gateway instance
 * can lease a batch of requests in one round trip (leasing-rate-limit.store.ts). Same GCRA, locking and result.
 * The argument list changes, so the old function is dropped rather than overloaded.
 */
export class RateLimitTakeCosts1796500000000 implements MigrationInterface {
  name = 'RateLimitTakeCosts1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION rate_limit_take(${OLD_ARGUMENTS})`);
    await q.query(`CREATE FUNCTION rate_limit_take(p_keys text[], p_limits integer[], p_window_ms double precision, p_costs integer[] DEFAULT NULL)
      RETURNS TABLE (allowed boolean, retry_after_ms double precision, remaining integer[], reset_ms double precision[])
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        n integer := coalesce(array_length(p_keys, 1), 0);
        found_keys text[];
        found_tats double precision[];
        now_ms double precision;
        interval_ms double precision;
        charge_ms double precision;
        bucket_tat double precision;
        new_tats double precision[] := '{}';
      BEGIN
        IF p_costs IS NOT NULL AND coalesce(array_length(p_costs, 1), 0) <> n THEN
          RAISE EXCEPTION 'rate_limit_take: % keys but % costs', n, coalesce(array_length(p_costs, 1), 0);
        END IF;
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
          charge_ms := interval_ms * coalesce(p_costs[i], 1);
          bucket_tat := greatest(found_tats[array_position(found_keys, p_keys[i])], now_ms);
          IF now_ms < bucket_tat + charge_ms - p_window_ms THEN
            allowed := false;
            retry_after_ms := greatest(retry_after_ms, bucket_tat + charge_ms - p_window_ms - now_ms);
            remaining := remaining || 0;
            reset_ms := reset_ms || (bucket_tat - now_ms);
          ELSE
            remaining := remaining || floor((p_window_ms - (bucket_tat + charge_ms - now_ms)) / interval_ms + 1e-9)::integer;
            reset_ms := reset_ms || (bucket_tat + charge_ms - now_ms);
          END IF;
          new_tats := new_tats || (bucket_tat + charge_ms);
        END LOOP;
        IF allowed THEN
          UPDATE rate_limit_buckets b SET tat = u.tat FROM unnest(p_keys, new_tats) AS u(key, tat) WHERE b.key = u.key;
        END IF;
        RETURN NEXT;
      END $$`);
  }

  /** Back to the one-request version. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION rate_limit_take(${OLD_ARGUMENTS}, integer[])`);
    await new RateLimitTakeOneLock1796320000000().up(q);
  }
}
