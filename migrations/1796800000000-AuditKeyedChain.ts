import { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditAppendFewerStatements1796400000000 } from './1796400000000-AuditAppendFewerStatements';

/**
 * A keyed audit chain (issue 13 §5): an unkeyed SHA-256 chain kept in the database proves nothing against whoever
 * owns the database, who can recompute it after an edit. From now on each event's hash is an HMAC-SHA256 computed by
 * the gateway with a key the database never holds in clear (`audit_chain_keys` keeps it only as a key-provider
 * envelope: local master key or KMS), and `audit_append_keyed` stores what the gateway computed:
 * - the gateway sends each record's canonical JSON with its sequence, its previous hash and its HMAC; the function
 *   locks the chain heads as before and inserts only if the batch continues every head exactly, else it inserts
 *   nothing and returns the current heads (rows with `ord` 0) for the gateway to retry from; it never raises for
 *   that, so a caller's transaction survives (and keeps the head locks, so its retry cannot lose again);
 * - `key_id` names the chain key of each keyed row; rows written before this migration keep a null `key_id` and
 *   their unkeyed hash. They are not re-keyed: a migration has no key (it runs as the database owner, the very party
 *   the key guards against), and re-keying would bless whatever those rows hold now. The verifier checks them with
 *   the old function, reports how many there are, and refuses an unkeyed row after a keyed one; the first signed
 *   checkpoint (written outside the database) then pins that unkeyed prefix too, since its hash covers it.
 * - `audit_chain_heads.keyed_from`: the first keyed sequence of the chain, carried into the checkpoints so that
 *   stripping the keys off later rows (and recomputing them unkeyed) is caught.
 * The old `audit_append` is dropped, so the application role can no longer append unkeyed rows.
 */
export class AuditKeyedChain1796800000000 implements MigrationInterface {
  name = 'AuditKeyedChain1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN key_id text`);
    await q.query(`ALTER TABLE audit_chain_heads ADD COLUMN keyed_from bigint`);
    // Platform data, not a tenant's: no vendor column, no RLS. Only wrapped keys (key-provider envelopes).
    await q.query(`CREATE TABLE audit_chain_keys (
      key_id text PRIMARY KEY,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`DROP FUNCTION audit_append(text[], text[], text[])`);
    await q.query(`
      CREATE FUNCTION audit_append_keyed(chain_ids text[], records text[], prev_hashes text[], hashes text[], key text)
      RETURNS TABLE (ord integer, chain_id text, chain_seq bigint, prev_hash text, hash text)
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      #variable_conflict use_column
      DECLARE
        saved_vendor text := current_setting('app.vendor_id', true);
        saved_platform text := current_setting('app.platform_scope', true);
        n integer := coalesce(array_length(chain_ids, 1), 0);
        chains text[];
        head_seqs bigint[] := '{}';
        head_hashes text[] := '{}';
        seqs bigint[];
        run_hashes text[];
        parsed jsonb[] := '{}';
        stale boolean := false;
        k integer;
        c text;
        head_seq bigint;
        head_hash text;
        r jsonb;
      BEGIN
        IF n <> coalesce(array_length(records, 1), 0) OR n <> coalesce(array_length(prev_hashes, 1), 0)
            OR n <> coalesce(array_length(hashes, 1), 0) THEN
          RAISE EXCEPTION 'audit_append_keyed: array lengths differ';
        END IF;
        IF n = 0 THEN
          RETURN;
        END IF;
        IF key IS NULL OR key = '' THEN
          RAISE EXCEPTION 'audit_append_keyed: no key id';
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
              VALUES (c, (SELECT (records[i]::jsonb ->> 'vendorId')::uuid
                            FROM generate_subscripts(chain_ids, 1) i WHERE chain_ids[i] = c LIMIT 1),
                      0, repeat('0', 64))
              ON CONFLICT (chain_id) DO UPDATE SET updated_at = now()
              RETURNING h.seq, h.hash INTO head_seq, head_hash;
          END IF;
          head_seqs[k] := head_seq;
          head_hashes[k] := head_hash;
        END LOOP;
        -- The gateway computed each HMAC over the head it believed current: check the whole batch before any insert.
        seqs := head_seqs;
        run_hashes := head_hashes;
        FOR i IN 1..n LOOP
          k := array_position(chains, chain_ids[i]);
          r := records[i]::jsonb;
          parsed[i] := r;
          IF r ->> 'chainId' IS DISTINCT FROM chain_ids[i] THEN
            RAISE EXCEPTION 'audit_append_keyed: record % is not of chain %', r ->> 'id', chain_ids[i];
          END IF;
          IF hashes[i] IS NULL OR hashes[i] !~ '^[0-9a-f]{64}$' THEN
            RAISE EXCEPTION 'audit_append_keyed: record % has no HMAC', r ->> 'id';
          END IF;
          IF (r ->> 'chainSeq')::bigint IS DISTINCT FROM seqs[k] + 1 OR prev_hashes[i] IS DISTINCT FROM run_hashes[k] THEN
            stale := true;
            EXIT;
          END IF;
          seqs[k] := seqs[k] + 1;
          run_hashes[k] := hashes[i];
        END LOOP;
        IF stale THEN
          FOR k IN 1..array_length(chains, 1) LOOP
            ord := 0; chain_id := chains[k]; chain_seq := head_seqs[k]; prev_hash := NULL; hash := head_hashes[k];
            RETURN NEXT;
          END LOOP;
        ELSE
          FOR i IN 1..n LOOP
            r := parsed[i];
            INSERT INTO audit_events (id, occurred_at, chain_id, chain_seq, prev_hash, hash, key_id, vendor_id,
                organisation_id, category, type, request_id, actor, operation, outcome, http_status, error_code,
                usi_hmac, usi_masked, related_event_id, details)
              VALUES ((r ->> 'id')::uuid, (r ->> 'occurredAt')::timestamptz, chain_ids[i], (r ->> 'chainSeq')::bigint,
                prev_hashes[i], hashes[i], key, (r ->> 'vendorId')::uuid, (r ->> 'organisationId')::uuid,
                r ->> 'category', r ->> 'type', r ->> 'requestId', r ->> 'actor', r ->> 'operation', r ->> 'outcome',
                (r ->> 'httpStatus')::integer, r ->> 'errorCode', r ->> 'usiHmac', r ->> 'usiMasked',
                (r ->> 'relatedEventId')::uuid, r -> 'details');
            ord := i; chain_id := chain_ids[i]; chain_seq := (r ->> 'chainSeq')::bigint; prev_hash := prev_hashes[i];
            hash := hashes[i];
            RETURN NEXT;
          END LOOP;
          FOR k IN 1..array_length(chains, 1) LOOP
            UPDATE audit_chain_heads h SET seq = seqs[k], hash = run_hashes[k], updated_at = now(),
                keyed_from = coalesce(h.keyed_from, head_seqs[k] + 1)
              WHERE h.chain_id = chains[k];
          END LOOP;
        END IF;
        PERFORM set_config('app.vendor_id', coalesce(saved_vendor, ''), true);
        PERFORM set_config('app.platform_scope', coalesce(saved_platform, ''), true);
      END $$`);
    // What the gateway reads before its first append to a chain (no lock: the append itself checks the head).
    await q.query(`
      CREATE FUNCTION audit_chain_heads_of(chain_ids text[])
      RETURNS TABLE (chain_id text, seq bigint, hash text)
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      #variable_conflict use_column
      DECLARE
        saved_platform text := current_setting('app.platform_scope', true);
      BEGIN
        PERFORM set_config('app.platform_scope', 'on', true);
        RETURN QUERY SELECT h.chain_id, h.seq, h.hash::text FROM audit_chain_heads h WHERE h.chain_id = ANY (chain_ids);
        PERFORM set_config('app.platform_scope', coalesce(saved_platform, ''), true);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_chain_heads_of(text[])`);
    await q.query(`DROP FUNCTION audit_append_keyed(text[], text[], text[], text[], text)`);
    await new AuditAppendFewerStatements1796400000000().up(q);
    await q.query(`DROP TABLE audit_chain_keys`);
    await q.query(`ALTER TABLE audit_chain_heads DROP COLUMN keyed_from`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN key_id`);
  }
}
