import { Injectable } from '@nestjs/common';
import { CursorPosition } from '../../common/pagination/cursor';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { CacheInvalidation } from '../../common/cache/cache-invalidation.service';
import { generateSoftwareId } from './software-id';
import { Authorisation, AuthorisationAction, ConnectionTestAttempt, CreateAuthorisationInput, TRANSITIONS } from './authorisation.types';

const COLUMNS = `id, organisation_id as "organisationId", software_id as "softwareId", start_date::text as "startDate",
  end_date::text as "endDate", status, last_tested_at as "lastTestedAt", last_test_result as "lastTestResult",
  software_id_regenerated_at as "softwareIdRegeneratedAt", created_at as "createdAt", updated_at as "updatedAt"`;

const SOFTWARE_ID_ATTEMPTS = 5;

/** The last connection test passed, with the current software ID. */
const PASSED_TEST = `coalesce((last_test_result->>'ok')::boolean, false)
  and (software_id_regenerated_at is null or last_tested_at > software_id_regenerated_at)`;

@Injectable()
export class AuthorisationRepository {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invalidation: CacheInvalidation,
  ) {}

  /** `softwareId` is fixed only by seeds; the API always draws a random one. */
  async create(
    vendorId: VendorId,
    organisationId: string,
    input: CreateAuthorisationInput,
    softwareId?: string,
  ): Promise<Authorisation> {
    const created = await this.withFreshSoftwareId(softwareId, (id) =>
      this.tx.runInTenant(vendorId, async (m) => {
        const [row] = await m.query(
          `insert into authorisations (vendor_id, organisation_id, software_id, start_date, end_date)
           values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
          [vendorId, organisationId, id, input.startDate, input.endDate ?? null],
        );
        return row as Authorisation;
      }),
    );
    return this.changed(created);
  }

  list(vendorId: VendorId, organisationId: string, limit: number, after?: CursorPosition): Promise<Authorisation[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${COLUMNS} from authorisations
         where vendor_id = $1 and organisation_id = $2
           and ($3::timestamptz is null or (created_at, id) > ($3, $4::uuid))
         order by created_at, id limit $5`,
        [vendorId, organisationId, after?.createdAt ?? null, after?.id ?? null, limit],
      ),
    );
  }

  find(vendorId: VendorId, organisationId: string, id: string): Promise<Authorisation | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row] = await m.query(
        `select ${COLUMNS} from authorisations where vendor_id = $1 and organisation_id = $2 and id = $3`,
        [vendorId, organisationId, id],
      );
      return row;
    });
  }

  /** Newest first; `limit` bounds a page that only ever shows the recent ones. */
  attempts(vendorId: VendorId, authorisationId: string, limit = 20): Promise<ConnectionTestAttempt[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select id, software_id as "softwareId", tested_at as "testedAt", ok, code, detail, environment
           from connection_test_attempts where vendor_id = $1 and authorisation_id = $2
          order by tested_at desc, id limit $3`,
        [vendorId, authorisationId, limit],
      ),
    );
  }

  /** Conditional on the current status, so two concurrent actions cannot both win. Undefined: not allowed. */
  /**
   * `requireTested`: only when the last connection test passed, and ran after the software ID last changed (checked
   * in the same statement, so a failing test that lands meanwhile wins).
   */
  async transition(
    vendorId: VendorId,
    id: string,
    action: AuthorisationAction,
    requireTested = false,
  ): Promise<Authorisation | undefined> {
    const { from, to } = TRANSITIONS[action];
    const regenerate = action === 'regenerate';
    const updated = await this.withFreshSoftwareId(undefined, (softwareId) =>
      this.tx.runInTenant(vendorId, async (m) => {
        const [rows] = await m.query(
          `update authorisations set status = $3, updated_at = now(),
             software_id = case when $5 then $4 else software_id end,
             software_id_regenerated_at = case when $5 then now() else software_id_regenerated_at end
           where vendor_id = $1 and id = $2 and status = any($6)
             and (not $7 or (${PASSED_TEST})) returning ${COLUMNS}`,
          [vendorId, id, to, softwareId, regenerate, from, requireTested],
        );
        return rows[0] as Authorisation | undefined;
      }),
    );
    return this.changed(updated);
  }

  /** The database trigger tells the other instances; this instance must not wait for its own notification. */
  private changed<T extends Authorisation | undefined>(row: T): T {
    if (row) this.invalidation.publishLocal({ kind: 'organisation', id: row.organisationId });
    return row;
  }

  private async withFreshSoftwareId<T>(fixed: string | undefined, work: (softwareId: string) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(fixed ?? generateSoftwareId());
      } catch (err) {
        if (fixed || attempt >= SOFTWARE_ID_ATTEMPTS || !isUniqueViolation(err, 'authorisations_software_id_key')) throw err;
      }
    }
  }
}
