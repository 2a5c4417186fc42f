import { Injectable } from '@nestjs/common';
import { CursorPosition } from '../../common/pagination/cursor';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { ApiKey, ApiKeyCredential } from './api-key.types';

const COLUMNS = `id, name, prefix, scopes, organisation_ids as "organisationIds", expires_at as "expiresAt",
  revoked_at as "revokedAt", last_used_at as "lastUsedAt", created_by as "createdBy", created_at as "createdAt"`;

export interface NewApiKeyRow {
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  organisationIds: string[] | null;
  expiresAt: Date | null;
  createdBy: string;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly tx: TenantTransaction) {}

  create(vendorId: VendorId, row: NewApiKeyRow): Promise<ApiKey> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [created] = await m.query(
        `insert into api_keys (vendor_id, name, prefix, key_hash, scopes, organisation_ids, expires_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
        [vendorId, row.name, row.prefix, row.hash, row.scopes, row.organisationIds, row.expiresAt, row.createdBy],
      );
      return created;
    });
  }

  /** `within`: only keys restricted to a subset of these organisations (what a restricted principal may see). */
  list(vendorId: VendorId, limit: number, after?: CursorPosition, within?: string[] | null): Promise<ApiKey[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${COLUMNS} from api_keys
         where vendor_id = $1 and ($2::timestamptz is null or (created_at, id) > ($2, $3::uuid))
           and ($5::uuid[] is null or (organisation_ids is not null and organisation_ids <@ $5))
         order by created_at, id limit $4`,
        [vendorId, after?.createdAt ?? null, after?.id ?? null, limit, within ?? null],
      ),
    );
  }

  find(vendorId: VendorId, id: string): Promise<ApiKey | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row] = await m.query(`select ${COLUMNS} from api_keys where vendor_id = $1 and id = $2`, [vendorId, id]);
      return row;
    });
  }

  revoke(vendorId: VendorId, id: string): Promise<ApiKey | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [rows] = await m.query(
        `update api_keys set revoked_at = coalesce(revoked_at, now()) where vendor_id = $1 and id = $2 returning ${COLUMNS}`,
        [vendorId, id],
      );
      return rows[0];
    });
  }

  /** Before authentication the tenant is unknown: the hash is the only way in. */
  findByHash(hash: string): Promise<ApiKeyCredential | undefined> {
    return this.tx.runInPlatformScope('api key authentication', async (m) => {
      const [row] = await m.query(
        `select ${COLUMNS}, vendor_id as "vendorId", key_hash as "keyHash" from api_keys where key_hash = $1`,
        [hash],
      );
      return row;
    });
  }

  /**
   * Batched uses of one vendor's keys. The one-minute condition keeps several instances from rewriting the same
   * row for every flush.
   */
  async touchMany(vendorId: VendorId, uses: { id: string; at: Date }[]): Promise<void> {
    await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `update api_keys k set last_used_at = u.at
         from unnest($2::uuid[], $3::timestamptz[]) as u(id, at)
         where k.vendor_id = $1 and k.id = u.id
           and (k.last_used_at is null or k.last_used_at < u.at - interval '1 minute')`,
        [vendorId, uses.map((u) => u.id), uses.map((u) => u.at)],
      ),
    );
  }
}
