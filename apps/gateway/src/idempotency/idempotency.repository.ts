import { Injectable } from '@nestjs/common';
import type { Envelope } from '../keys/key-provider';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { ClaimResult, IdempotencyRecord, StoredResponse } from './idempotency.types';
import { ResponseSealer } from './response-sealer';

export const IDEMPOTENCY_TTL_HOURS = 24;

interface Row {
  status: 'in_progress' | 'completed';
  requestHash: string;
  responseStatus: number | null;
  /** The response body sealed by `ResponseSealer`; set on every completed row. */
  responseBody: Envelope;
  responseHeaders: Record<string, string> | null;
}

/**
 * Rows live (vendor_id, key) → request hash and, once done, the response. Expired rows count as absent everywhere
 * and are overwritten by the next claim, so the purge job is housekeeping, not correctness.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sealer: ResponseSealer,
  ) {}

  /**
   * Claims the key in its own committed transaction, so concurrent duplicates see the `in_progress` row at once.
   * The upsert only replaces an expired row; otherwise the current row is returned for the caller to judge.
   */
  async claim(vendorId: VendorId, key: string, requestHash: string): Promise<ClaimResult> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const inserted: unknown[] = await m.query(
        `insert into idempotency_keys as k (vendor_id, key, request_hash, status, expires_at)
         values ($1, $2, $3, 'in_progress', now() + make_interval(hours => $4))
         on conflict (vendor_id, key) do update set
           request_hash = excluded.request_hash, status = 'in_progress', response_status = null,
           response_body = null, response_headers = null, created_at = now(), completed_at = null,
           expires_at = excluded.expires_at
         where k.expires_at <= now()
         returning 1`,
        [vendorId, key, requestHash, IDEMPOTENCY_TTL_HOURS],
      );
      if (inserted.length > 0) return { claimed: true };
      return { claimed: false, existing: await this.read(m, vendorId, key) };
    });
  }

  find(vendorId: VendorId, key: string): Promise<IdempotencyRecord | undefined> {
    return this.tx.runInTenant(vendorId, (m) => this.read(m, vendorId, key));
  }

  async complete(vendorId: VendorId, key: string, response: StoredResponse): Promise<void> {
    const sealed = await this.sealer.seal(vendorId, key, response.body);
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `update idempotency_keys set status = 'completed', response_status = $3, response_body = $4::jsonb,
           response_headers = $5::jsonb, completed_at = now()
         where vendor_id = $1 and key = $2 and status = 'in_progress'`,
        [vendorId, key, response.status, JSON.stringify(sealed), JSON.stringify(response.headers)],
      ),
    );
  }

  /** Gives the key back after a failure that is worth retrying (5xx, network), so the retry can run. */
  async release(vendorId: VendorId, key: string): Promise<void> {
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(`delete from idempotency_keys where vendor_id = $1 and key = $2 and status = 'in_progress'`, [vendorId, key]),
    );
  }

  /** Deletes expired rows of every vendor; returns how many. */
  purgeExpired(limit = 10_000): Promise<number> {
    return this.tx.runInPlatformScope('idempotency: purge expired keys', async (m) => {
      // TypeORM answers a DELETE with [rows, affected]: the count is the second member, not the array's length.
      const [, affected]: [unknown, number] = await m.query(
        `delete from idempotency_keys where ctid in (
           select ctid from idempotency_keys where expires_at <= now() limit $1)`,
        [limit],
      );
      return affected;
    });
  }

  private async read(
    m: { query: (sql: string, params: unknown[]) => Promise<Row[]> },
    vendorId: VendorId,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const [row] = await m.query(
      `select status, request_hash as "requestHash", response_status as "responseStatus",
              response_body as "responseBody", response_headers as "responseHeaders"
       from idempotency_keys where vendor_id = $1 and key = $2 and expires_at > now()`,
      [vendorId, key],
    );
    if (!row) return undefined;
    if (row.status === 'in_progress') return { status: 'in_progress', requestHash: row.requestHash };
    const body = await this.sealer.open(vendorId, key, row.responseBody);
    return {
      status: 'completed',
      requestHash: row.requestHash,
      response: { status: row.responseStatus ?? 200, body, headers: row.responseHeaders ?? {} },
    };
  }
}
