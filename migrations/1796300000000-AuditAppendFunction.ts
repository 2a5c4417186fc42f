import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_append`: one round trip per batch of audit records. The application sends each record's canonical JSON
 * split around the chain sequence (which only the locked head knows); the function locks every head of the batch in
 * chain-id order (so two batches never deadlock), computes `hash = sha256(prev_hash ‖ canonical)` over the exact
 * UTF-8 bytes the Node verifier hashes, inserts the row parsed from that same text (what is stored is what was
 * hashed) and advances the head. SECURITY INVOKER: the row-level-security policies still apply. The tenant scope is
 * set per record from its own vendor and restored afterwards, so it never leaks into an enclosing transaction.
 */
export class AuditAppendFunction1796300000000 implements MigrationInterface {
  name = 'AuditAppendFunction1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_append(chain_ids text[], heads text[], tails text[])
      RETURNS TABLE (ord integer, chain_seq bigint, prev_hash text, hash text)
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      #variable_conflict use_column
      DECLARE
        saved_vendor text := current_setting('app.vendor_id', true);
        saved_platform text := current_setting('app.platform_scope', true);
        n integer := coalesce(array_length(chain_ids, 1), 0);
        c text;
        head record;
        canonical text;
        r jsonb;
        digest text;
      BEGIN
        IF n <> coalesce(array_length(heads, 1), 0) OR n <> coalesce(array_length(tails, 1), 0) THEN
          RAISE EXCEPTION 'audit_append: array lengths differ';
        END IF;
        PERFORM set_config('app.platform_scope', 'on', true);
        FOR c IN SELECT DISTINCT u FROM unnest(chain_ids) u ORDER BY u LOOP
          -- Lock first and create only when missing: an upsert would write a second head version on every append.
          PERFORM 1 FROM audit_chain_heads h WHERE h.chain_id = c FOR UPDATE;
          IF NOT FOUND THEN
            INSERT INTO audit_chain_heads AS h (chain_id, vendor_id, seq, hash)
              VALUES (c, (SELECT ((heads[i] || '0' || tails[i])::jsonb ->> 'vendorId')::uuid
                            FROM generate_subscripts(chain_ids, 1) i WHERE chain_ids[i] = c LIMIT 1),
                      0, repeat('0', 64))
              ON CONFLICT (chain_id) DO UPDATE SET updated_at = now();
          END IF;
        END LOOP;
        FOR i IN 1..n LOOP
          SELECT h.seq, h.hash INTO head FROM audit_chain_heads h WHERE h.chain_id = chain_ids[i];
          canonical := heads[i] || (head.seq + 1)::text || tails[i];
          digest := encode(sha256(convert_to(head.hash || canonical, 'UTF8')), 'hex');
          r := canonical::jsonb;
          IF r ->> 'chainId' IS DISTINCT FROM chain_ids[i] THEN
            RAISE EXCEPTION 'audit_append: record % is not of chain %', r ->> 'id', chain_ids[i];
          END IF;
          PERFORM set_config('app.platform_scope', CASE WHEN r ->> 'vendorId' IS NULL THEN 'on' ELSE '' END, true);
          PERFORM set_config('app.vendor_id', coalesce(r ->> 'vendorId', ''), true);
          INSERT INTO audit_events (id, occurred_at, chain_id, chain_seq, prev_hash, hash, vendor_id, organisation_id,
              category, type, request_id, actor, operation, outcome, http_status, error_code, usi_hmac, usi_masked,
              related_event_id, details)
            VALUES ((r ->> 'id')::uuid, (r ->> 'occurredAt')::timestamptz, chain_ids[i], head.seq + 1, head.hash, digest,
              (r ->> 'vendorId')::uuid, (r ->> 'organisationId')::uuid, r ->> 'category', r ->> 'type',
              r ->> 'requestId', r ->> 'actor', r ->> 'operation', r ->> 'outcome', (r ->> 'httpStatus')::integer,
              r ->> 'errorCode', r ->> 'usiHmac', r ->> 'usiMasked', (r ->> 'relatedEventId')::uuid, r -> 'details');
          PERFORM set_config('app.platform_scope', 'on', true);
          UPDATE audit_chain_heads h SET seq = head.seq + 1, hash = digest, updated_at = now() WHERE h.chain_id = chain_ids[i];
          ord := i; chain_seq := head.seq + 1; prev_hash := head.hash; hash := digest;
          RETURN NEXT;
        END LOOP;
        PERFORM set_config('app.vendor_id', coalesce(saved_vendor, ''), true);
        PERFORM set_config('app.platform_scope', coalesce(saved_platform, ''), true);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS audit_append(text[], text[], text[])`);
  }
}
