import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Webhooks (issue 18, Standard Webhooks). Four tenant tables, RLS on `vendor_id` like every other:
 * - `webhook_endpoints`: a vendor's receiver (URL, event types). The signing secret is stored only as a key-provider
 *   envelope; during a rotation the previous one is kept until `previous_secret_expires_at` and deliveries carry both
 *   signatures. `failing_since` is the first failed attempt since the last success: 3 days of it disables the endpoint.
 * - `webhook_events`: what happened, as the exact JSON body sent and signed (`{type, timestamp, data}`, ids and counts only, never
 *   personal data). `dedupe_key` makes calendar events (a credential past its notAfter) once per vendor.
 * - `webhook_deliveries`: one event to one endpoint; its id is the `webhook-id` header, the same on every attempt.
 * - `webhook_delivery_attempts`: the delivery log (status, response code, duration, first 1 KB of the response).
 */
export class Webhooks1796840000000 implements MigrationInterface {
  name = 'Webhooks1796840000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE webhook_endpoints (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
         description text CHECK (length(description) <= 500),
         event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
         status text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
         secret_envelope jsonb NOT NULL,
         previous_secret_envelope jsonb,
         previous_secret_expires_at timestamptz,
         failing_since timestamptz,
         disabled_at timestamptz,
         disabled_reason text,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (id, vendor_id))`,
      `CREATE INDEX webhook_endpoints_vendor_created_idx ON webhook_endpoints (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('webhook_endpoints'),

      `CREATE TABLE webhook_events (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
         type text NOT NULL CHECK (type ~ '^[a-z_]+\\.[a-z_]+$'),
         body text NOT NULL CHECK (length(body) <= 65536),
         dedupe_key text CHECK (length(dedupe_key) <= 200),
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         UNIQUE (id, vendor_id))`,
      `CREATE UNIQUE INDEX webhook_events_dedupe_key ON webhook_events (vendor_id, dedupe_key) WHERE dedupe_key IS NOT NULL`,
      `CREATE INDEX webhook_events_vendor_created_idx ON webhook_events (vendor_id, created_at)`,
      ...tenantTableSecuritySql('webhook_events'),

      `CREATE TABLE webhook_deliveries (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL,
         endpoint_id uuid NOT NULL,
         event_id uuid NOT NULL,
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
         attempts integer NOT NULL DEFAULT 0,
         next_attempt_at timestamptz,
         last_attempt_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         FOREIGN KEY (endpoint_id, vendor_id) REFERENCES webhook_endpoints (id, vendor_id) ON DELETE CASCADE,
         FOREIGN KEY (event_id, vendor_id) REFERENCES webhook_events (id, vendor_id) ON DELETE CASCADE,
         UNIQUE (id, vendor_id))`,
      `CREATE INDEX webhook_deliveries_endpoint_created_idx ON webhook_deliveries (endpoint_id, created_at, id)`,
      `CREATE INDEX webhook_deliveries_vendor_idx ON webhook_deliveries (vendor_id)`,
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
      ...tenantTableSecuritySql('webhook_deliveries'),

      `CREATE TABLE webhook_delivery_attempts (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid NOT NULL,
         delivery_id uuid NOT NULL,
         endpoint_id uuid NOT NULL,
         attempt integer NOT NULL CHECK (attempt > 0),
         outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
         response_status integer,
         response_body text CHECK (length(response_body) <= 1024),
         error text CHECK (length(error) <= 500),
         duration_ms integer NOT NULL CHECK (duration_ms >= 0),
         started_at timestamptz NOT NULL,
         created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
         FOREIGN KEY (delivery_id, vendor_id) REFERENCES webhook_deliveries (id, vendor_id) ON DELETE CASCADE)`,
      `CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, started_at)`,
      `CREATE INDEX webhook_delivery_attempts_endpoint_idx ON webhook_delivery_attempts (endpoint_id, started_at)`,
      `CREATE INDEX webhook_delivery_attempts_vendor_idx ON webhook_delivery_attempts (vendor_id)`,
      ...tenantTableSecuritySql('webhook_delivery_attempts'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_delivery_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
