import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { asVendorId } from '../../database/vendor-id';
import { LoginCandidate, User } from './user.types';

const COLUMNS = `id, vendor_id as "vendorId", organisation_id as "organisationId", email, roles, created_at as "createdAt"`;

/**
 * Per-account slow-down (SessionService): from this many consecutive failures (from anywhere) on, each attempt from
 * an address the account has not signed in from must wait 2^(failures - SLOW_DOWN_FROM) seconds after the previous
 * one, at most SLOW_DOWN_MAX_SECONDS. `locked_until` holds when the next such attempt may come.
 */
export const SLOW_DOWN_FROM = 10;
export const SLOW_DOWN_MAX_SECONDS = 300;

@Injectable()
export class UserRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async create(user: Omit<User, 'id' | 'createdAt'> & { passwordHash: string }): Promise<User> {
    const insert = (m: EntityManager) =>
      m
        .query(
          // Accounts made by seeds and staff tooling are vouched for; self-service signups verify their address
          // first (providers/signup), and cannot sign in until then (findForLogin).
          `insert into users (vendor_id, organisation_id, email, password_hash, roles, email_verified_at)
           values ($1, $2, $3, $4, $5, now()) returning ${COLUMNS}`,
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
           locked_until as "lockedUntil", totp_enabled_at is not null as "mfaEnrolled"
         from users where lower(email) = lower($1) and email_verified_at is not null`,
        [email],
      );
      return row;
    });
  }

  /**
   * Takes the account's next slowed-down attempt for an unknown address: 0 when it is this attempt's turn (the next
   * one must then wait the delay for the current failure count), else the seconds until it is. One row update, so
   * of simultaneous attempts only one gets the turn.
   */
  claimSlowedAttempt(userId: string): Promise<number> {
    return this.tx.runInPlatformScope('login slow-down', async (m) => {
      // TypeORM's postgres driver answers UPDATE … RETURNING with [rows, affected].
      const [claimed]: [unknown[], number] = await m.query(
        `update users set locked_until = now() + make_interval(secs => least(power(2, greatest(failed_logins - $2, 0)), $3))
         where id = $1 and (locked_until is null or locked_until <= now()) returning id`,
        [userId, SLOW_DOWN_FROM, SLOW_DOWN_MAX_SECONDS],
      );
      if (claimed.length) return 0;
      const [row] = await m.query(`select greatest(1, ceil(extract(epoch from locked_until - now())))::int as seconds from users where id = $1`, [userId]);
      return row?.seconds ?? 1;
    });
  }

  async recordLoginSuccess(userId: string): Promise<void> {
    await this.tx.runInPlatformScope('record login result', (m) =>
      m.query(`update users set failed_logins = 0, locked_until = null where id = $1`, [userId]),
    );
  }

  /**
   * Counts a failed sign-in; `then` runs in the same transaction with the new count of consecutive failures (the
   * owner's notice commits with the count that triggered it, or neither does).
   */
  async recordLoginFailure(userId: string, then: (failures: number, m: EntityManager) => Promise<void>): Promise<number> {
    return this.tx.runInPlatformScope('record login result', async (m) => {
      const [rows]: [{ failed_logins: number }[], number] = await m.query(
        `update users set failed_logins = failed_logins + 1 where id = $1 returning failed_logins`,
        [userId],
      );
      const failures = Number(rows[0]?.failed_logins ?? 0);
      await then(failures, m);
      return failures;
    });
  }
}
