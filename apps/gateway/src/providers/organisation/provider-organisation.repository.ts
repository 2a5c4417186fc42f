import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { generateSoftwareId } from '../../tenancy/authorisations/software-id';
import { RegisterOrganisationInput, VendorChoice } from './provider-organisation.types';

export type Registration =
  | { ok: true; organisationId: string; authorisationId: string; softwareId: string }
  | { ok: false; reason: 'org_code_taken' | 'account_taken' };

const SOFTWARE_ID_ATTEMPTS = 5;

@Injectable()
export class ProviderOrganisationRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** The vendors a provider may choose from: every active one (names and ABNs are public, as in RAM). */
  vendors(): Promise<VendorChoice[]> {
    return this.tx.runInPlatformScope('vendor directory for provider onboarding', (m) =>
      m.query(`select id, name, abn from vendors where status = 'active' order by lower(name), id`),
    );
  }

  /**
   * The organisation, its first authorisation (pending, from today: RAM notifications cannot be backdated) and the
   * account made its provider admin, in one transaction: a refusal stores none of them. The account must still have
   * no organisation (`account_taken` otherwise, e.g. a second tab). Runs in the platform scope, because the account
   * has no vendor until this commits.
   */
  async register(accountId: string, input: RegisterOrganisationInput): Promise<Registration> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tx.runInPlatformScope('provider registers its organisation', (m) => this.insert(m, accountId, input));
      } catch (err) {
        if (err instanceof AccountTaken) return { ok: false, reason: 'account_taken' };
        if (isUniqueViolation(err, 'organisations_vendor_org_code_key')) return { ok: false, reason: 'org_code_taken' };
        if (attempt < SOFTWARE_ID_ATTEMPTS && isUniqueViolation(err, 'authorisations_software_id_key')) continue;
        throw err;
      }
    }
  }

  private async insert(m: EntityManager, accountId: string, input: RegisterOrganisationInput): Promise<Registration> {
    const [org] = await m.query(
      `insert into organisations (vendor_id, org_code, abn, legal_name, kind) values ($1, $2, $3, $4, $5) returning id`,
      [input.vendorId, input.orgCode, input.abn, input.legalName, input.kind],
    );
    const [auth] = await m.query(
      `insert into authorisations (vendor_id, organisation_id, software_id, start_date) values ($1, $2, $3, current_date)
       returning id, software_id as "softwareId"`,
      [input.vendorId, org.id, generateSoftwareId()],
    );
    const [[claimed]] = await m.query(
      `update users set vendor_id = $2, organisation_id = $3, roles = '{provider_admin}', updated_at = now()
        where id = $1 and vendor_id is null and organisation_id is null and roles = '{}' returning id`,
      [accountId, input.vendorId, org.id],
    );
    if (!claimed) {
      // Undo the organisation: the transaction's error path is the only way to store nothing.
      throw new AccountTaken();
    }
    return { ok: true, organisationId: org.id, authorisationId: auth.id, softwareId: auth.softwareId };
  }

  activeVendor(vendorId: string): Promise<VendorChoice | undefined> {
    return this.tx.runInPlatformScope('vendor directory for provider onboarding', async (m) => {
      const [row] = await m.query(`select id, name, abn from vendors where id = $1 and status = 'active'`, [vendorId]);
      return row;
    });
  }

  /** Emails of the provider admins of the vendor's organisation with this code (none when there is no such one). */
  adminsOf(vendorId: VendorId, orgCode: string): Promise<string[]> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const rows: { email: string }[] = await m.query(
        `select u.email from users u join organisations o on o.id = u.organisation_id and o.vendor_id = u.vendor_id
          where o.vendor_id = $1 and lower(o.org_code) = lower($2) and 'provider_admin' = any (u.roles)`,
        [vendorId, orgCode],
      );
      return rows.map((r) => r.email);
    });
  }
}

export class AccountTaken extends Error {
  constructor() {
    super('the account already has an organisation');
  }
}
