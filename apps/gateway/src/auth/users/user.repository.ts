import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { asVendorId } from '../../database/vendor-id';
import { LoginCandidate, User } from './user.types';

const COLUMNS = `id, vendor_id as "vendorId", organisation_id as "organisationId", email, roles, created_at as "createdAt"`;

/** Account-wide lock after this many consecutive failures from anywhere (credential stuffing). */
const ACCOUNT_LOCK_FAILURES = 20;

@Injectable()
export class UserRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async create(user: Omit<User, 'id' | 'createdAt'> & { passwordHash: string }): Promise<User> {
    const insert = (m: EntityManager) =>
      m
        .query(
          `insert into users (vendor_id, organisation_id, email, password_hash, roles) values ($1, $2, $3, $4, $5)
           returning ${COLUMNS}`,
          [user.vendorId, user.organisationId, user.email, user.passwordHash, user.roles],
        )
        .then((rows: User[]) => rows[0]);
    try {
      // Platform staff have no tenant, so only the platform scope can write their rows.
      return await (user.vendorId
        ? this.tx.runInTenant(asVendorId(user.vendorId), insert)
        : this.tx.runInPlatformScope('create platform user', insert));
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw new AppError('user.email_taken', 'Email already registered');
      throw err;
    }
  }

  findForLogin(email: string): Promise<LoginCandidate | undefined> {
    return this.tx.runInPlatformScope('login by email', async (m) => {
      const [row] = await m.query(
        `select ${COLUMNS}, password_hash as "passwordHash", failed_logins as "failedLogins",
           locked_until as "lockedUntil"
         from users where lower(email) = lower($1)`,
        [email],
      );
      return row;
    });
  }

  async recordLogin(userId: string, succeeded: boolean): Promise<void> {
    await this.tx.runInPlatformScope('record login result', (m) =>
      succeeded
        ? m.query(`update users set failed_logins = 0, locked_until = null where id = $1`, [userId])
        : m.query(
            `update users set failed_logins = failed_logins + 1,
               locked_until = case when failed_logins + 1 >= $2 then now() + interval '15 minutes' else locked_until end
             where id = $1`,
            [userId, ACCOUNT_LOCK_FAILURES],
          ),
    );
  }
}
