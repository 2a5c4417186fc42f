import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface PasswordOwner {
  userId: string;
  vendorId: string | null;
  email: string;
}

/** Password hashes and reset links on `users`; before sign-in nobody's tenant is known, hence the platform scope. */
@Injectable()
export class PasswordRepository {
  constructor(private readonly tx: TenantTransaction) {}

  findByEmail(email: string): Promise<PasswordOwner | undefined> {
    return this.tx.runInPlatformScope('password reset request', async (m) => {
      const [row] = await m.query(`select id as "userId", vendor_id as "vendorId", email from users where lower(email) = lower($1)`, [email]);
      return row;
    });
  }

  passwordHashOf(userId: string): Promise<string | undefined> {
    return this.tx.runInPlatformScope('password check', async (m) => {
      const [row] = await m.query(`select password_hash as hash from users where id = $1`, [userId]);
      return row?.hash;
    });
  }

  /** Stores the link's hash (replacing any earlier link) and runs `then` in the same transaction (the email). */
  async storeResetLink(userId: string, hash: string, validSeconds: number, then: (m: EntityManager) => Promise<void>): Promise<void> {
    await this.tx.runInPlatformScope('password reset request', async (m) => {
      await m.query(
        `update users set password_reset_hash = $2, password_reset_expires_at = now() + make_interval(secs => $3) where id = $1`,
        [userId, hash, validSeconds],
      );
      await then(m);
    });
  }

  isResetLinkValid(hash: string): Promise<boolean> {
    return this.tx.runInPlatformScope('password reset link', async (m) => {
      const [row] = await m.query(`select 1 from users where password_reset_hash = $1 and password_reset_expires_at > now()`, [hash]);
      return !!row;
    });
  }

  /** Uses the link: only the first request with a valid, unexpired link gets the owner back. */
  consumeResetLink(hash: string, passwordHash: string): Promise<PasswordOwner | undefined> {
    return this.tx.runInPlatformScope('password reset', async (m) => {
      const [rows]: [PasswordOwner[], number] = await m.query(
        `update users set password_hash = $2, password_reset_hash = null, password_reset_expires_at = null,
                failed_logins = 0, locked_until = null, updated_at = now()
         where password_reset_hash = $1 and password_reset_expires_at > now()
         returning id as "userId", vendor_id as "vendorId", email`,
        [hash, passwordHash],
      );
      return rows[0];
    });
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.tx.runInPlatformScope('password change', (m) =>
      m.query(`update users set password_hash = $2, password_reset_hash = null, password_reset_expires_at = null, updated_at = now() where id = $1`, [
        userId,
        passwordHash,
      ]),
    );
  }
}
