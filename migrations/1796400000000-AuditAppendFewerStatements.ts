import { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditAppendFunction1796300000000 } from './1796300000000-AuditAppendFunction';

/**
 * `audit_append` with about half the statements per call, same signature, same hashing and same rows (the audit
 * appends run twice on every USI request, so their server time is request latency):
 * - each chain head is read once, under its lock, and written once at the end of the batch (was: read and updated
 *   per record);
 * - the insert runs in platform scope instead of switching `app.vendor_id` to each record's own vendor around it:
 *   the row-level-security check then admitted exactly the same rows (a record's vendor always equalled the scope
 *   set from it), at three `set_config` calls per record;
 * - a batch on one chain (the usual case) skips the query that orders distinct chains for locking.
 * The scope is still restored on return, so it never leaks into an enclosing transaction.
 */
export class AuditAppendFewerStatements1796400000000 implements MigrationInterface {
  name = 'AuditAppendFewerStatements1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_append(chain_ids text[], heads text[], tails text[])
      RETURNS TABLE (ord integer, chain_seq bigint, prev_hash text, hash text)
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      #variable_conflict use_column
      DECLARE
        saved_vendor text := current_setting('app.vendor_id', true);
        saved_platform text := current_setting('app.platform_scope', true);
        n integer := coalesce(array_length(chain_ids, 1), 0);
        chains text[];
        seqs bigint[] := '{}';
        hashes text[] := '{}';
        k integer;
        c text;
        head_seq bigint;
        head_hash text;
        canonical text;
        digest text;
        r jsonb;
      BEGIN
        IF n <> coalesce(array_length(heads, 1), 0) OR n <> coalesce(array_length(tails, 1), 0) THEN
          RAISE EXCEPTION 'audit_append: array lengths differ';
        END IF;
        IF n = 0 THEN
          RETURN;
        END IF;
        PERFORM set_config('app.platform_scope', 'on', true);
        -- Heads are locked in chain-id order, so two batches never deadlock.
        IF chain_ids[1] = ALL (chain_ids) THEN
          chains := ARRAY[chain_ids[1]];
        ELSE
          SELECT array_agg(DISTINCT u ORDER BY u) INTO chains FROM unnest(chain_ids) u;
        END IF;
        FOR k IN 1..array_length(chains, 1) LOOP
          c := chains[k];
          -- Lock first and create only when missing: an upsert would write a second head version on every append.
          SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_chain_heads h WHERE h.chain_id = c FOR UPDATE;
          IF NOT FOUND THEN
            INSERT INTO audit_chain_heads AS h (chain_id, vendor_id, seq, hash)
              VALUES (c, (SELECT ((heads[i] || '0' || tails[i])::jsonb ->> 'vendorId')::uuid
                            FROM generate_subscripts(chain_ids, 1) i WHERE chain_ids[i] = c LIMIT 1),
                      0, repeat('0', 64))
              ON CONFLICT (chain_id) DO UPDATE SET updated_at = now()
              RETURNING h.seq, h.hash INTO head_seq, head_hash;
          END IF;
          seqs[k] := head_seq;
          hashes[k] := head_hash;
        END LOOP;
        FOR i IN 1..n LOOP
          k := array_position(chains, chain_ids[i]);
          canonical := heads[i] || (seqs[k] + 1)::text || tails[i];
          digest := encode(sha256(convert_to(hashes[k] || canonical, 'UTF8')), 'hex');
          r := canonical::jsonb;
          IF r ->> 'chainId' IS DISTINCT FROM chain_ids[i] THEN
            RAISE EXCEPTION 'audit_append: record % is not of chain %', r ->> 'id', chain_ids[i];
          END IF;
          INSERT INTO audit_events (id, occurred_at, chain_id, chain_seq, prev_hash, hash, vendor_id, organisation_id,
              category, type, request_id, actor, operation, outcome, http_status, error_code, usi_hmac, usi_masked,
              related_event_id, details)
            VALUES ((r ->> 'id')::uuid, (r ->> 'occurredAt')::timestamptz, chain_ids[i], seqs[k] + 1, hashes[k], digest,
              (r ->> 'vendorId')::uuid, (r ->> 'organisationId')::uuid, r ->> 'category', r ->> 'type',
              r ->> 'requestId', r ->> 'actor', r ->> 'operation', r ->> 'outcome', (r ->> 'httpStatus')::integer,
              r ->> 'errorCode', r ->> 'usiHmac', r ->> 'usiMasked', (r ->> 'relatedEventId')::uuid, r -> 'details');
          ord := i; chain_seq := seqs[k] + 1; prev_hash := hashes[k]; hash := digest;
          seqs[k] := seqs[k] + 1;
          hashes[k] := digest;
          RETURN NEXT;
        END LOOP;
        FOR k IN 1..array_length(chains, 1) LOOP
          UPDATE audit_chain_heads h SET seq = seqs[k], hash = hashes[k], updated_at = now() WHERE h.chain_id = chains[k];
        END LOOP;
        PERFORM set_config('app.vendor_id', coalesce(saved_vendor, ''), true);
        PERFORM set_config('app.platform_scope', coalesce(saved_platform, ''), true);
      END $$`);
  }

  /** Back to the per-record version. */
  async down(q: QueryRunner): Promise<void> {
    const previous = new AuditAppendFunction1796300000000();
    await previous.down(q);
    await previous.up(q);
  }
}
