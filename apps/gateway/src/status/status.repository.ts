import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';

export interface ActiveCredentialRow {
  id: string;
  vendorId: string;
  vendorName?: string;
  credentialId: string;
  abn: string;
  notAfter: Date;
}

const COLUMNS = `c.id, c.vendor_id as "vendorId", c.credential_id as "credentialId", c.abn, c.not_after as "notAfter"`;

/** Read-only: the active machine credentials the status routes report on (the credentials module owns the rows). */
@Injectable()
export class StatusRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async activeCredential(vendorId: VendorId): Promise<ActiveCredentialRow | undefined> {
    const rows: ActiveCredentialRow[] = await this.tx.runInTenant(vendorId, (m) =>
      m.query(`select ${COLUMNS} from m2m_credentials c where c.vendor_id = $1 and c.status = 'active' order by c.not_after desc limit 1`, [vendorId]),
    );
    return rows[0];
  }

  /** Every vendor's active credential, soonest expiry first, and the vendors without one. */
  async platformCredentials(): Promise<{ active: ActiveCredentialRow[]; vendorsWithout: number }> {
    return this.tx.runInPlatformScope('platform status: active credentials of every vendor', async (m) => {
      const active: ActiveCredentialRow[] = await m.query(
        `select ${COLUMNS}, v.name as "vendorName" from m2m_credentials c join vendors v on v.id = c.vendor_id
          where c.status = 'active' order by c.not_after, c.id`,
      );
      const [{ count }] = await m.query(
        `select count(*)::int as count from vendors v
          where not exists (select 1 from m2m_credentials c where c.vendor_id = v.id and c.status = 'active')`,
      );
      return { active, vendorsWithout: count };
    });
  }
}
