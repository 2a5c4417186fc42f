import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CursorPosition } from '../../common/pagination/cursor';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import type { Envelope } from '../../keys/key-provider';
import { EndpointRow } from './webhook-endpoint.types';

export const ENDPOINT_COLUMNS = `id, vendor_id as "vendorId", url, description, event_types as "eventTypes", status,
  secret_envelope as "secretEnvelope", previous_secret_envelope as "previousSecretEnvelope",
  previous_secret_expires_at as "previousSecretExpiresAt", failing_since as "failingSince", disabled_at as "disabledAt",
  disabled_reason as "disabledReason", created_at as "createdAt", updated_at as "updatedAt"`;

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

/** webhook_endpoints, always inside the vendor's RLS scope and filtered by vendor too. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The id is chosen first because the secret's envelope is bound to it (encryption context). */
  async insert(
    vendorId: VendorId,
    row: { id: string; url: string; description: string | null; eventTypes: string[]; secret: Envelope; createdBy: string },
  ): Promise<EndpointRow> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [created] = await m.query(
        `insert into webhook_endpoints (id, vendor_id, url, description, event_types, secret_envelope, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${ENDPOINT_COLUMNS}`,
        [row.id, vendorId, row.url, row.description, row.eventTypes, JSON.stringify(row.secret), row.createdBy],
      );
      return created;
    });
  }

  list(vendorId: VendorId, limit: number, after?: CursorPosition): Promise<EndpointRow[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${ENDPOINT_COLUMNS} from webhook_endpoints
         where vendor_id = $1 and ($2::timestamptz is null or (created_at, id) > ($2, $3::uuid))
         order by created_at, id limit $4`,
        [vendorId, after?.createdAt ?? null, after?.id ?? null, limit],
      ),
    );
  }

  find(vendorId: VendorId, id: string, m?: EntityManager): Promise<EndpointRow | undefined> {
    const read = (q: EntityManager) =>
      q.query(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where vendor_id = $1 and id = $2`, [vendorId, id]).then((r: EndpointRow[]) => r[0]);
    return m ? read(m) : this.tx.runInTenant(vendorId, read);
  }

  update(vendorId: VendorId, id: string, changes: EndpointChanges): Promise<EndpointRow | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [rows] = await m.query(
        `update webhook_endpoints set
           url = coalesce($3, url),
           description = case when $4::boolean then $5 else description end,
           event_types = coalesce($6, event_types),
           status = case when $7::boolean is null then status when $7 then 'enabled' else 'disabled' end,
           failing_since = case when $7::boolean then null else failing_since end,
           disabled_at = case when $7::boolean is null then disabled_at when $7 then null else coalesce(disabled_at, now()) end,
           disabled_reason = case when $7::boolean is null then disabled_reason when $7 then null else 'disabled_by_vendor' end,
           updated_at = now()
         where vendor_id = $1 and id = $2 returning ${ENDPOINT_COLUMNS}`,
        [
          vendorId,
          id,
          changes.url ?? null,
          changes.description !== undefined,
          changes.description ?? null,
          changes.eventTypes ?? null,
          changes.enabled ?? null,
        ],
      );
      return rows[0];
    });
  }

  async delete(vendorId: VendorId, id: string): Promise<boolean> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [, count] = await m.query(`delete from webhook_endpoints where vendor_id = $1 and id = $2`, [vendorId, id]);
      return count > 0;
    });
  }

  /** The current secret becomes the previous one, signing until `previousExpiresAt`; `secret` takes its place. */
  rotate(vendorId: VendorId, id: string, secret: Envelope, previousExpiresAt: Date): Promise<EndpointRow | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [rows] = await m.query(
        `update webhook_endpoints set previous_secret_envelope = secret_envelope, previous_secret_expires_at = $4,
           secret_envelope = $3, updated_at = now()
         where vendor_id = $1 and id = $2 returning ${ENDPOINT_COLUMNS}`,
        [vendorId, id, JSON.stringify(secret), previousExpiresAt],
      );
      return rows[0];
    });
  }
}
