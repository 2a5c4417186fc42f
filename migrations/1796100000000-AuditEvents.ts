import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail. `audit_events` is append-only (a trigger rejects UPDATE, DELETE and TRUNCATE even for the
 * owner; `migrate` leaves the application role INSERT and SELECT only) and range-partitioned by month so retention
 * drops whole partitions. Each row is a link in a hash chain (one per organisation, vendor and the platform); the
 * chain head row is locked by every append, which serialises appends per chain and nothing else.
 * Rows with a null vendor_id are platform events, visible only in platform scope.
 */
const VISIBLE = `(vendor_id = nullif(current_setting('app.vendor_id', true), '')::uuid
                  OR current_setting('app.platform_scope', true) = 'on')`;

export class AuditEvents1796100000000 implements MigrationInterface {
  name = 'AuditEvents1796100000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE audit_events (
         id uuid NOT NULL,
         occurred_at timestamptz NOT NULL,
         chain_id text NOT NULL,
         chain_seq bigint NOT NULL,
         prev_hash char(64) NOT NULL,
         hash char(64) NOT NULL,
         vendor_id uuid,
         organisation_id uuid,
         category text NOT NULL CHECK (category IN ('inbound', 'exchange', 'security')),
         type text NOT NULL,
         request_id text,
         actor text,
         operation text,
         outcome text,
         http_status integer,
         error_code text,
         usi_hmac char(64),
         usi_masked text,
         related_event_id uuid,
         details jsonb NOT NULL DEFAULT '{}'::jsonb,
         PRIMARY KEY (id, occurred_at)
       ) PARTITION BY RANGE (occurred_at)`,
      `CREATE INDEX audit_events_org_time_idx ON audit_events (organisation_id, occurred_at, id)`,
      `CREATE INDEX audit_events_vendor_time_idx ON audit_events (vendor_id, occurred_at, id)`,
      `CREATE INDEX audit_events_request_idx ON audit_events (request_id)`,
      `CREATE INDEX audit_events_usi_idx ON audit_events (usi_hmac) WHERE usi_hmac IS NOT NULL`,
      `CREATE INDEX audit_events_error_idx ON audit_events (error_code, occurred_at) WHERE error_code IS NOT NULL`,
      `CREATE INDEX audit_events_chain_idx ON audit_events (chain_id, chain_seq)`,
      `CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id)`,
      `ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE audit_events FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY audit_events_read ON audit_events FOR SELECT USING ${VISIBLE}`,
      `CREATE POLICY audit_events_append ON audit_events FOR INSERT WITH CHECK ${VISIBLE}`,

      `CREATE FUNCTION audit_events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
       END $$`,
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
         FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change()`,
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
         FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change()`,

      `CREATE TABLE audit_chain_heads (
         chain_id text PRIMARY KEY,
         vendor_id uuid,
         seq bigint NOT NULL,
         hash char(64) NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now())`,
      `ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY audit_chain_heads_tenant_isolation ON audit_chain_heads USING ${VISIBLE} WITH CHECK ${VISIBLE}`,

      // SECURITY DEFINER: the application role cannot create or drop tables, yet the scheduled jobs must.
      `CREATE FUNCTION audit_ensure_partitions(months_ahead integer) RETURNS integer
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
       DECLARE
         first_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
         m date;
         created integer := 0;
         part text;
       BEGIN
         -- Every gateway instance runs this at start: serialise them rather than race on the same CREATE.
         PERFORM pg_advisory_xact_lock(hashtext('audit_ensure_partitions'));
         FOR i IN 0..greatest(months_ahead, 1) LOOP
           m := (first_month + make_interval(months => i))::date;
           part := format('audit_events_%s', to_char(m, 'YYYY_MM'));
           IF to_regclass(part) IS NULL THEN
             EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
               part, m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
             created := created + 1;
           END IF;
         END LOOP;
         RETURN created;
       END $$`,
      // The floor of 12 months stops a compromised application from erasing recent history through this function.
      `CREATE FUNCTION audit_drop_partitions(retention_months integer) RETURNS text[]
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
       DECLARE
         cutoff timestamptz := (date_trunc('month', now() AT TIME ZONE 'UTC')
                                - make_interval(months => retention_months)) AT TIME ZONE 'UTC';
         r record;
         dropped text[] := '{}';
       BEGIN
         IF retention_months < 12 THEN
           RAISE EXCEPTION 'audit retention below 12 months is refused';
         END IF;
         FOR r IN
           SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit_events'::regclass
         LOOP
           IF substring(r.bound FROM 'TO \\(''([^'']+)''\\)')::timestamptz <= cutoff THEN
             EXECUTE format('DROP TABLE %I', r.relname);
             dropped := dropped || r.relname::text;
           END IF;
         END LOOP;
         RETURN dropped;
       END $$`,
      `SELECT audit_ensure_partitions(1)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_events`);
    await q.query(`DROP TABLE IF EXISTS audit_chain_heads`);
    await q.query(`DROP FUNCTION IF EXISTS audit_events_reject_change, audit_ensure_partitions, audit_drop_partitions`);
  }
}
