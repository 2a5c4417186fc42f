import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { CursorPosition } from '../../common/pagination/cursor';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { CacheInvalidation } from '../../common/cache/cache-invalidation.service';
import { ConnectionMode, CreateOrganisationInput, Organisation, UpdateOrganisationInput } from './organisation.types';

const COLUMNS = `id, org_code as "orgCode", abn, legal_name as "legalName", kind, contact_name as "contactName",
  contact_email as "contactEmail", contact_phone as "contactPhone", status, connection_mode as "connectionMode", created_at as "createdAt",
  updated_at as "updatedAt"`;

/** Patchable fields and their columns: the only identifiers ever interpolated into SQL here. */
const UPDATABLE: Record<keyof UpdateOrganisationInput, string> = {
  abn: 'abn',
  legalName: 'legal_name',
  kind: 'kind',
  status: 'status',
  contactName: 'contact_name',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  connectionMode: 'connection_mode',
};

@Injectable()
export class OrganisationRepository {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invalidation: CacheInvalidation,
  ) {}

  async create(vendorId: VendorId, input: CreateOrganisationInput): Promise<Organisation> {
    try {
      return await this.tx.runInTenant(vendorId, async (m) => {
        const [row] = await m.query(
          `insert into organisations (vendor_id, org_code, abn, legal_name, kind, contact_name, contact_email, contact_phone)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
          [
            vendorId,
            input.orgCode,
            input.abn,
            input.legalName,
            input.kind,
            input.contactName ?? null,
            input.contactEmail ?? null,
            input.contactPhone ?? null,
          ],
        );
        return row;
      });
    } catch (err) {
      // Unique per vendor (the index is on vendor_id, lower(org_code)): the conflict is with this vendor's own row,
      // and other vendors registering the same provider are neither blocked nor revealed.
      if (isUniqueViolation(err, 'organisations_vendor_org_code_key')) {
        throw new AppError('organisation.org_code_taken', `You have already registered organisation ${input.orgCode}`);
      }
      throw err;
    }
  }

  /** `restrictTo`: the API key's organisation list, when it has one. */
  list(vendorId: VendorId, limit: number, after?: CursorPosition, restrictTo?: string[] | null): Promise<Organisation[]> {
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select ${COLUMNS} from organisations
         where vendor_id = $1 and ($2::timestamptz is null or (created_at, id) > ($2, $3::uuid))
           and ($5::uuid[] is null or id = any($5))
         order by created_at, id limit $4`,
        [vendorId, after?.createdAt ?? null, after?.id ?? null, limit, restrictTo ?? null],
      ),
    );
  }

  findByCode(vendorId: VendorId, orgCode: string): Promise<Organisation | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row] = await m.query(
        `select ${COLUMNS} from organisations where vendor_id = $1 and lower(org_code) = lower($2)`,
        [vendorId, orgCode],
      );
      return row;
    });
  }

  existingIds(vendorId: VendorId, ids: string[]): Promise<string[]> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const rows: { id: string }[] = await m.query(`select id from organisations where vendor_id = $1 and id = any($2)`, [
        vendorId,
        ids,
      ]);
      return rows.map((r) => r.id);
    });
  }

  /** `onModeChange` runs in the update's transaction when `connectionMode` changes (to audit it with the change). */
  async update(
    vendorId: VendorId,
    id: string,
    patch: UpdateOrganisationInput,
    onModeChange?: (m: EntityManager, change: { from: ConnectionMode; to: ConnectionMode }) => Promise<void>,
  ): Promise<Organisation | undefined> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof UpdateOrganisationInput, unknown][];
    const sets = entries.map(([key], i) => `${UPDATABLE[key]} = $${i + 3}`);
    const updated = await this.tx.runInTenant(vendorId, async (m) => {
      const from = patch.connectionMode ? await lockMode(m, vendorId, id) : undefined;
      if (from && patch.connectionMode === 'direct' && from !== 'direct') await requireOwnCredential(m, vendorId, id);
      const [rows] = await m.query(
        `update organisations set ${[...sets, 'updated_at = now()'].join(', ')}
         where vendor_id = $1 and id = $2 returning ${COLUMNS}`,
        [vendorId, id, ...entries.map(([, v]) => v)],
      );
      const row = rows[0] as Organisation | undefined;
      if (row && from && from !== row.connectionMode) await onModeChange?.(m, { from, to: row.connectionMode });
      return row;
    });
    this.changed(id);
    return updated;
  }

  async delete(vendorId: VendorId, id: string): Promise<boolean> {
    const deleted = await this.tx.runInTenant(vendorId, async (m) => {
      const [, count] = await m.query(`delete from organisations where vendor_id = $1 and id = $2`, [vendorId, id]);
      return count === 1;
    });
    this.changed(id);
    return deleted;
  }

  /** The database trigger tells the other instances; this instance must not wait for its own notification. */
  private changed(id: string): void {
    this.invalidation.publishLocal({ kind: 'organisation', id });
  }
}

/** The organisation's mode, its row locked for the rest of the transaction; undefined when it does not exist. */
async function lockMode(m: EntityManager, vendorId: VendorId, id: string): Promise<ConnectionMode | undefined> {
  const [row] = await m.query(`select connection_mode from organisations where vendor_id = $1 and id = $2 for update`, [vendorId, id]);
  return row?.connection_mode;
}

/**
 * Direct mode signs every call with the organisation's own credential, so switching to it needs one that is active
 * (and so was proven with the ATO). The organisation row is locked first: an upload or revocation of its credential
 * takes the same lock, so the answer holds until the switch commits.
 */
async function requireOwnCredential(m: EntityManager, vendorId: VendorId, organisationId: string): Promise<void> {
  const [org] = await m.query(`select org_code from organisations where vendor_id = $1 and id = $2`, [vendorId, organisationId]);
  if (!org) return;
  const [active] = await m.query(
    `select 1 from m2m_credentials where vendor_id = $1 and organisation_id = $2 and status = 'active' and not_after > now()`,
    [vendorId, organisationId],
  );
  if (!active) {
    throw new AppError(
      'organisation.direct_credential_missing',
      `Organisation ${org.org_code} has no active machine credential of its own: upload it first (POST /v1/organisations/${org.org_code}/credentials); it becomes active once the ATO issues a token for it`,
    );
  }
}
