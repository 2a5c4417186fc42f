import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { AuthorisationStatus } from '../../tenancy/authorisations/authorisation.types';

export interface ConnectionTestResult {
  ok: boolean;
  code?: string;
  detail?: string;
  environment: string;
}

@Injectable()
export class ConnectionTestRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Records the outcome and moves the status, but only from `pending`/`active`: a revoke that lands while the test
   * runs wins. Returns the resulting status (unchanged when the row moved on meanwhile). The attempt is listed
   * (connection_test_attempts) under the software ID it tested, in the same transaction.
   */
  async record(
    vendorId: VendorId,
    authorisation: { id: string; softwareId: string },
    next: AuthorisationStatus,
    testedAt: Date,
    result: ConnectionTestResult,
  ): Promise<AuthorisationStatus | undefined> {
    const authorisationId = authorisation.id;
    return this.tx.runInTenant(vendorId, async (m) => {
      await m.query(
        `insert into connection_test_attempts (vendor_id, authorisation_id, software_id, tested_at, ok, code, detail, environment)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [vendorId, authorisationId, authorisation.softwareId, testedAt, result.ok, result.code ?? null, result.detail?.slice(0, 500) ?? null, result.environment],
      );
      const [rows] = await m.query(
        `update authorisations
            set status = case when status in ('pending', 'active') then $3 else status end,
                last_tested_at = $4, last_test_result = $5::jsonb, updated_at = now()
          where vendor_id = $1 and id = $2
        returning status`,
        [vendorId, authorisationId, next, testedAt, JSON.stringify(result)],
      );
      return rows[0]?.status;
    });
  }
}
