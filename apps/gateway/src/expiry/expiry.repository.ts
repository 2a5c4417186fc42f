import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../database/tenant-transaction.service';

export interface ExpiringCredential {
  /** m2m_credentials row id. */
  id: string;
  vendorId: string;
  /** Null for a vendor's credential; the organisation's id for its own (direct mode). */
  organisationId: string | null;
  credentialId: string;
  abn: string;
  notAfter: Date;
  /** When the sweep first warned about it; null until then. */
  warnedAt: Date | null;
}

export interface ExpiryWarning {
  credentialId: string;
  vendorId: string;
  /** The threshold warned at: 60, 30, 7 or 1 days before notAfter. */
  daysBefore: number;
}

const ACTIVE_CREDENTIAL_COLUMNS = `id, vendor_id as "vendorId", organisation_id as "organisationId", credential_id as "credentialId", abn,
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

  /**
   * Records each warning once (primary key (credential, threshold)); returns those recorded now, which are the ones
   * to send: a concurrent instance may have recorded some already. Also stamps `expiry_warned_at` on first warning.
   */
  async recordWarnings(warnings: ExpiryWarning[], at: Date): Promise<ExpiryWarning[]> {
    if (!warnings.length) return [];
    return this.tx.runInPlatformScope('expiry sweep: record warnings', async (m) => {
      const rows: { credentialId: string; vendorId: string; daysBefore: number }[] = await m.query(
        `insert into credential_expiry_warnings (credential_id, vendor_id, days_before, sent_at)
         select w.credential_id, w.vendor_id, w.days_before, $4
           from unnest($1::uuid[], $2::uuid[], $3::int[]) as w(credential_id, vendor_id, days_before)
         on conflict do nothing
         returning credential_id as "credentialId", vendor_id as "vendorId", days_before as "daysBefore"`,
        [warnings.map((w) => w.credentialId), warnings.map((w) => w.vendorId), warnings.map((w) => w.daysBefore), at],
      );
      if (rows.length) {
        await m.query(`update m2m_credentials set expiry_warned_at = $2 where id = any($1) and expiry_warned_at is null`, [
          rows.map((r) => r.credentialId),
          at,
        ]);
      }
      return rows;
    });
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
