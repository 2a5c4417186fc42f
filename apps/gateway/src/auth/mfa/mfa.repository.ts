import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface MfaState {
  userId: string;
  vendorId: string | null;
  email: string;
  /** Sealed (SessionKeys); null before enrolment starts. */
  sealedSecret: string | null;
  enabled: boolean;
  lastStep: number | null;
  recoveryCodesLeft: number;
  rememberEpoch: number;
}

/** The second factor's columns on `users` (migration WebAuthentication); sign-in runs before any tenant is known. */
@Injectable()
export class MfaRepository {
  constructor(private readonly tx: TenantTransaction) {}

  state(userId: string): Promise<MfaState | undefined> {
    return this.tx.runInPlatformScope('second factor state', async (m) => {
      const [row] = await m.query(
        `select id as "userId", vendor_id as "vendorId", email, totp_secret as "sealedSecret",
                totp_enabled_at is not null as enabled, totp_last_step::float8 as "lastStep",
                cardinality(recovery_code_hashes) as "recoveryCodesLeft", mfa_remember_epoch as "rememberEpoch"
         from users where id = $1`,
        [userId],
      );
      return row;
    });
  }

  /** A new, unconfirmed secret; refused (false) once a factor is enabled: replacing one is a reset, not a re-enrolment. */
  async startEnrolment(userId: string, sealedSecret: string): Promise<boolean> {
    return this.tx.runInPlatformScope('second factor enrolment', async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `update users set totp_secret = $2, totp_last_step = null where id = $1 and totp_enabled_at is null returning id`,
        [userId, sealedSecret],
      );
      return rows.length > 0;
    });
  }

  async confirmEnrolment(userId: string, step: number, recoveryHashes: string[]): Promise<boolean> {
    return this.tx.runInPlatformScope('second factor enrolment', async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `update users set totp_enabled_at = now(), totp_last_step = $2, recovery_code_hashes = $3
         where id = $1 and totp_enabled_at is null and totp_secret is not null returning id`,
        [userId, step, recoveryHashes],
      );
      return rows.length > 0;
    });
  }

  /** Records the accepted step unless a concurrent request took it (or a later one) first. */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    return this.tx.runInPlatformScope('second factor', async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id`,
        [userId, step],
      );
      return rows.length > 0;
    });
  }

  /** Removes the code's hash; true only for the one request that removed it. */
  async useRecoveryCode(userId: string, hash: string): Promise<boolean> {
    return this.tx.runInPlatformScope('second factor', async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `update users set recovery_code_hashes = array_remove(recovery_code_hashes, $2)
         where id = $1 and $2 = any (recovery_code_hashes) returning id`,
        [userId, hash],
      );
      return rows.length > 0;
    });
  }

  /** Invalidates every "remember this device" cookie of the user (logout everywhere, password change). */
  async forgetDevices(userId: string): Promise<void> {
    await this.tx.runInPlatformScope('forget remembered devices', (m) =>
      m.query(`update users set mfa_remember_epoch = mfa_remember_epoch + 1 where id = $1`, [userId]),
    );
  }
}
