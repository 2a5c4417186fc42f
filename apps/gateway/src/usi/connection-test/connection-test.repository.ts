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
   * runs wins. Returns the resulting status (unchanged when the row moved on meanwhile).
   */
  async record(
    vendorId: VendorId,
    authorisationId: string,
    next: AuthorisationStatus,
    testedAt: Date,
    result: ConnectionTestResult,
  ): Promise<AuthorisationStatus | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
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
