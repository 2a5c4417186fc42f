import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CursorPosition } from '../../common/pagination/cursor';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { asVendorId, VendorId } from '../../database/vendor-id';
import { ENDPOINT_COLUMNS } from '../endpoints/webhook-endpoint.repository';
import { EndpointRow } from '../endpoints/webhook-endpoint.types';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
}

export interface AttemptRow {
  deliveryId: string;
  attempt: number;
  outcome: 'succeeded' | 'failed';
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  startedAt: Date;
}

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  /** The attempt count read before sending: the write applies only if no other worker attempted meanwhile. */
  attemptsBefore: number;
  startedAt: Date;
  ok: boolean;
  responseStatus?: number;
  responseBody?: string;
  error?: string;
  durationMs: number;
  /** Set when another attempt follows. */
  nextAttemptAt?: Date;
  /** An endpoint failing since before this is disabled. */
  disableFailingBefore: Date;
}

const DELIVERY_COLUMNS = `d.id, d.endpoint_id as "endpointId", d.event_id as "eventId", e.type as "eventType", d.status, d.attempts,
  d.next_attempt_at as "nextAttemptAt", d.last_attempt_at as "lastAttemptAt", d.created_at as "createdAt"`;

/** Postgres text cannot hold NUL, and a receiver's answer is anything it likes. */
const storable = (s: string | undefined, max: number) => (s === undefined ? null : s.replace(/\u0000/g, '').slice(0, max));

/** webhook_events, webhook_deliveries and webhook_delivery_attempts, in the vendor's RLS scope. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * The event and one pending delivery per enabled endpoint of the vendor subscribed to its type, in one statement.
   * Nothing (and no delivery) when `dedupeKey` was already used by this vendor. Answers the deliveries' ids.
   */
  recordEvent(vendorId: VendorId, type: string, body: string, dedupeKey: string | null, at: Date): Promise<string[]> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const rows: { id: string }[] = await m.query(
        `with event as (
           insert into webhook_events (vendor_id, type, body, dedupe_key) values ($1, $2, $3, $4)
           on conflict (vendor_id, dedupe_key) where dedupe_key is not null do nothing
           returning id)
         insert into webhook_deliveries (vendor_id, endpoint_id, event_id, next_attempt_at)
         select $1, w.id, event.id, $5 from event
           join webhook_endpoints w on w.vendor_id = $1 and w.status = 'enabled' and $2 = any(w.event_types)
         returning id`,
        [vendorId, type, body, dedupeKey, at],
      );
      return rows.map((r) => r.id);
    });
  }

  /** Workers are not in a request: the delivery's own row says whose it is (the only cross-tenant read here). */
  async vendorOf(deliveryId: string): Promise<VendorId | undefined> {
    const rows: { vendorId: string }[] = await this.tx.runInPlatformScope('webhook delivery: the tenant of a queued delivery', (m) =>
      m.query(`select vendor_id as "vendorId" from webhook_deliveries where id = $1`, [deliveryId]),
    );
    return rows[0] ? asVendorId(rows[0].vendorId) : undefined;
  }

  async forAttempt(vendorId: VendorId, deliveryId: string): Promise<{ delivery: DeliveryRow; body: string; endpoint: EndpointRow } | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [delivery]: (DeliveryRow & { body: string })[] = await m.query(
        `select ${DELIVERY_COLUMNS}, e.body from webhook_deliveries d join webhook_events e on e.id = d.event_id
         where d.vendor_id = $1 and d.id = $2`,
        [vendorId, deliveryId],
      );
      if (!delivery) return undefined;
      const [endpoint]: EndpointRow[] = await m.query(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where vendor_id = $1 and id = $2`, [
        vendorId,
        delivery.endpointId,
      ]);
      const { body, ...row } = delivery;
      return endpoint ? { delivery: row, body, endpoint } : undefined;
    });
  }

  /** A delivery whose endpoint was disabled meanwhile ends here, without an attempt. */
  async abandon(vendorId: VendorId, deliveryId: string): Promise<void> {
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(`update webhook_deliveries set status = 'failed', next_attempt_at = null where vendor_id = $1 and id = $2 and status = 'pending'`, [
        vendorId,
        deliveryId,
      ]),
    );
  }

  /**
   * One attempt's outcome, in one transaction: the log row, the delivery's status, the endpoint's failure clock, and
   * (`onDisabled`, with the same manager) whatever must commit with an endpoint being disabled. Undefined when another
   * worker recorded this attempt first (the job ran twice): nothing is written then.
   */
  async recordAttempt(
    vendorId: VendorId,
    a: AttemptRecord,
    onDisabled: (m: EntityManager) => Promise<void>,
  ): Promise<{ endpointDisabled: boolean } | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const status: DeliveryStatus = a.ok ? 'succeeded' : a.nextAttemptAt ? 'pending' : 'failed';
      const [claimed] = await m.query(
        `update webhook_deliveries set attempts = attempts + 1, status = $4, next_attempt_at = $5, last_attempt_at = $6
         where vendor_id = $1 and id = $2 and attempts = $3 and status = 'pending' returning attempts`,
        [vendorId, a.deliveryId, a.attemptsBefore, status, a.nextAttemptAt ?? null, a.startedAt],
      );
      if (!claimed.length) return undefined;
      await m.query(
        `insert into webhook_delivery_attempts (vendor_id, delivery_id, endpoint_id, attempt, outcome, response_status, response_body,
           error, duration_ms, started_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          vendorId,
          a.deliveryId,
          a.endpointId,
          claimed[0].attempts,
          a.ok ? 'succeeded' : 'failed',
          a.responseStatus ?? null,
          storable(a.responseBody, 1024),
          storable(a.error, 500),
          a.durationMs,
          a.startedAt,
        ],
      );
      if (a.ok) {
        await m.query(`update webhook_endpoints set failing_since = null where vendor_id = $1 and id = $2`, [vendorId, a.endpointId]);
        return { endpointDisabled: false };
      }
      const [disabled] = await m.query(
        `update webhook_endpoints set failing_since = coalesce(failing_since, $3),
           status = case when coalesce(failing_since, $3) <= $4 then 'disabled' else status end,
           disabled_at = case when coalesce(failing_since, $3) <= $4 then $3 else disabled_at end,
           disabled_reason = case when coalesce(failing_since, $3) <= $4 then 'failing' else disabled_reason end,
           updated_at = now()
         where vendor_id = $1 and id = $2 and status = 'enabled'
         returning status = 'disabled' as "disabled"`,
        [vendorId, a.endpointId, a.startedAt, a.disableFailingBefore],
      );
      const endpointDisabled = !!disabled?.[0]?.disabled;
      if (endpointDisabled) {
        // Its pending deliveries (this one included) end here; they can be redelivered once it is re-enabled.
        await m.query(`update webhook_deliveries set status = 'failed', next_attempt_at = null where vendor_id = $1 and endpoint_id = $2 and status = 'pending'`, [
          vendorId,
          a.endpointId,
        ]);
        await onDisabled(m);
      }
      return { endpointDisabled };
    });
  }

  /**
   * Pending deliveries whose attempt is overdue by more than `graceMs`: their job was lost (queue unavailable when
   * it was added) or kept failing to run. Each is claimed by moving its due time to `now`, so it is handed back to
   * the queue once per grace period at most, whichever instance runs this. Cross-tenant by nature (maintenance).
   */
  claimOverdue(now: Date, graceMs: number, limit: number): Promise<string[]> {
    return this.tx.runInPlatformScope('webhook maintenance: requeue overdue deliveries', async (m) => {
      // An UPDATE answers [rows, count] through TypeORM.
      const [rows]: [{ id: string }[], number] = await m.query(
        `update webhook_deliveries set next_attempt_at = $1
         where id in (select id from webhook_deliveries where status = 'pending' and next_attempt_at < $2
                      order by next_attempt_at limit $3 for update skip locked)
         returning id`,
        [now, new Date(now.getTime() - graceMs), limit],
      );
      return rows.map((r) => r.id);
    });
  }

  /** Events (with their deliveries and attempt log) older than `before`: the log is kept for a while, not forever. */
  purgeEventsBefore(before: Date): Promise<number> {
    return this.tx.runInPlatformScope('webhook maintenance: purge old events', async (m) => {
      const [, count] = await m.query(
        `delete from webhook_events where id in (select id from webhook_events where created_at < $1 limit 5000)`,
        [before],
      );
      return count as number;
    });
  }

  /** The vendor's administrators, to be told an endpoint was disabled. */
  adminEmails(m: EntityManager, vendorId: VendorId): Promise<string[]> {
    return m
      .query(`select email from users where vendor_id = $1 and 'vendor_admin' = any(roles) order by created_at`, [vendorId])
      .then((rows: { email: string }[]) => rows.map((r) => r.email));
  }

  /** Newest first (a log is read from its latest entry), `limit` older than the cursor's position. */
  listForEndpoint(vendorId: VendorId, endpointId: string, limit: number, after?: CursorPosition): Promise<DeliveryRow[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id
         where d.vendor_id = $1 and d.endpoint_id = $2 and ($3::timestamptz is null or (d.created_at, d.id) < ($3, $4::uuid))
         order by d.created_at desc, d.id desc limit $5`,
        [vendorId, endpointId, after?.createdAt ?? null, after?.id ?? null, limit],
      ),
    );
  }

  attemptsOf(vendorId: VendorId, deliveryIds: string[]): Promise<AttemptRow[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select delivery_id as "deliveryId", attempt, outcome, response_status as "responseStatus", response_body as "responseBody",
           error, duration_ms as "durationMs", started_at as "startedAt"
         from webhook_delivery_attempts where vendor_id = $1 and delivery_id = any($2) order by started_at, attempt`,
        [vendorId, deliveryIds],
      ),
    );
  }

  /**
   * Manual redelivery: a finished delivery of an enabled endpoint goes back to `pending` with a fresh retry schedule
   * (same `webhook-id`, so receivers can drop a duplicate). `missing`: no such delivery for this vendor and endpoint.
   */
  requeue(vendorId: VendorId, endpointId: string, deliveryId: string, at: Date): Promise<'requeued' | 'missing' | 'pending' | 'endpoint_disabled'> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row]: { status: DeliveryStatus; endpointStatus: string }[] = await m.query(
        `select d.status, w.status as "endpointStatus" from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
         where d.vendor_id = $1 and d.endpoint_id = $2 and d.id = $3 for update of d`,
        [vendorId, endpointId, deliveryId],
      );
      if (!row) return 'missing';
      if (row.endpointStatus !== 'enabled') return 'endpoint_disabled';
      if (row.status === 'pending') return 'pending';
      await m.query(`update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = $3 where vendor_id = $1 and id = $2`, [
        vendorId,
        deliveryId,
        at,
      ]);
      return 'requeued';
    });
  }
}
