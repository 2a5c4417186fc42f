import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface ProviderAccount {
  id: string;
  name: string | null;
  email: string;
  vendorId: string | null;
  organisationId: string | null;
  roles: string[];
  emailVerifiedAt: Date | null;
}

const COLUMNS = `id, name, email, vendor_id as "vendorId", organisation_id as "organisationId", roles,
  email_verified_at as "emailVerifiedAt"`;

/**
 * Provider accounts before and around their organisation. A new account has no vendor and no role, so only the
 * platform scope sees its row (like platform staff's): the transactions here run there, each for one named purpose.
 */
@Injectable()
export class ProviderAccountRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /**
   * Undefined when the email belongs to a verified account (emails are unique across the platform). An account that
   * was never verified is taken over by the new signup (name and password replaced, a new link sent): it holds
   * nothing, and only the address's owner can verify it, so a lost or expired link never locks the address out.
   */
  async createUnverified(
    input: { name: string; email: string; passwordHash: string },
    then: (account: ProviderAccount, m: EntityManager) => Promise<void>,
  ): Promise<ProviderAccount | undefined> {
    try {
      return await this.tx.runInPlatformScope('provider signup', async (m) => {
        const [row] = await m.query(
          `insert into users (vendor_id, organisation_id, name, email, password_hash, roles) values (null, null, $1, $2, $3, '{}')
           on conflict ((lower(email))) do update set name = excluded.name, password_hash = excluded.password_hash, updated_at = now()
             where users.email_verified_at is null and users.vendor_id is null and users.roles = '{}'
           returning ${COLUMNS}`,
          [input.name, input.email, input.passwordHash],
        );
        if (!row) return undefined;
        await then(row, m);
        return row as ProviderAccount;
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) return undefined;
      throw err;
    }
  }

  run<T>(reason: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.runInPlatformScope(reason, work);
  }

  async markVerified(m: EntityManager, userId: string): Promise<ProviderAccount | undefined> {
    const [rows] = await m.query(
      `update users set email_verified_at = coalesce(email_verified_at, now()), updated_at = now() where id = $1 returning ${COLUMNS}`,
      [userId],
    );
    return rows[0];
  }

  find(userId: string): Promise<ProviderAccount | undefined> {
    return this.tx.runInPlatformScope('provider account', async (m) => {
      const [row] = await m.query(`select ${COLUMNS} from users where id = $1`, [userId]);
      return row;
    });
  }
}
