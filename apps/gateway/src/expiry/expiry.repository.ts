import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';

export interface ExpiringCredential {
  /** m2m_credentials row id. */
  id: string;
  vendorId: string;
  credentialId: string;
  abn: string;
  notAfter: Date;
  /** When the sweep first warned about it; null until then. */
  warnedAt: Date | null;
}

const ACTIVE_CREDENTIAL_COLUMNS = `id, vendor_id as "vendorId", credential_id as "credentialId", abn,
  not_after as "notAfter", expiry_warned_at as "warnedAt"`;

/** Cross-tenant by nature (one sweep for all vendors), so every query runs in the documented platform scope. */
@Injectable()
export class ExpiryRepository {
  constructor(private readonly tx: TenantTransaction) {}

  activeCredentials(): Promise<ExpiringCredential[]> {
    return this.tx.runInPlatformScope('expiry sweep: active credential expiries', (m) =>
      m.query(`select ${ACTIVE_CREDENTIAL_COLUMNS} from m2m_credentials where status = 'active' order by not_after, id`),
    );
  }

  activeCredentialsExpiringBefore(until: Date): Promise<ExpiringCredential[]> {
    return this.tx.runInPlatformScope('expiry sweep: credentials expiring soon', (m) =>
      m.query(
        `select ${ACTIVE_CREDENTIAL_COLUMNS} from m2m_credentials
          where status = 'active' and not_after <= $1 order by not_after, id`,
        [until],
      ),
    );
  }

  /** Returns the ids actually marked: a concurrent instance may have marked some already. */
  async markWarned(ids: string[], at: Date): Promise<string[]> {
    if (!ids.length) return [];
    // TypeORM's postgres driver answers UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ id: string }[], number] = await this.tx.runInPlatformScope('expiry sweep: mark warned', (m) =>
      m.query(`update m2m_credentials set expiry_warned_at = $2 where id = any($1) and expiry_warned_at is null returning id`, [
        ids,
        at,
      ]),
    );
    return rows.map((r) => r.id);
  }

  /** `today` as YYYY-MM-DD: an authorisation is in force through its end date and expired the day after. */
  async expireEndedAuthorisations(today: string): Promise<{ id: string; vendorId: string; organisationId: string }[]> {
    return this.tx.runInPlatformScope('expiry sweep: authorisations past end date', async (m) => {
      const [rows] = await m.query(
        `update authorisations set status = 'expired', updated_at = now()
          where end_date < $1::date and status in ('pending', 'active', 'suspended')
          returning id, vendor_id as "vendorId", organisation_id as "organisationId"`,
        [today],
      );
      return rows;
    });
  }
}
