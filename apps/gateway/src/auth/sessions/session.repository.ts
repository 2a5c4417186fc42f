import { Injectable } from '@nestjs/common';
import { UserRole } from '../../common/request-context/principal';
import { TenantTransaction } from '../../database/tenant-transaction.service';

/** A session unused this long is over, whatever its absolute expiry (issue 15: idle timeout 30 minutes). */
export const SESSION_IDLE_SECONDS = 30 * 60;

export interface ActiveSession {
  userId: string;
  vendorId: string | null;
  organisationId: string | null;
  email: string;
  roles: UserRole[];
  /** Password passed, second factor not yet: only the sign-in pages accept such a session. */
  mfaPending: boolean;
  mfaVerifiedAt: Date | null;
  /** The user has a confirmed TOTP factor. */
  mfaEnrolled: boolean;
}

export interface NewSession {
  id: string;
  userId: string;
  vendorId: string | null;
  expiresAt: Date;
  mfaPending: boolean;
  mfaVerified: boolean;
}

/** Sessions are keyed by the SHA-256 of the cookie token; the token itself is never stored. */
@Injectable()
export class SessionRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async create(s: NewSession): Promise<void> {
    await this.tx.runInPlatformScope('issue session', (m) =>
      m.query(
        `insert into sessions (id, user_id, vendor_id, expires_at, mfa_pending, mfa_verified_at)
         values ($1, $2, $3, $4, $5, case when $6::boolean then now() end)`,
        [s.id, s.userId, s.vendorId, s.expiresAt, s.mfaPending, s.mfaVerified],
      ),
    );
  }

  /**
   * The cookie is all we have before authentication, hence the platform scope. Using a session keeps it alive (idle
   * timeout); the touch is written at most once a minute per session.
   */
  findActive(id: string): Promise<ActiveSession | undefined> {
    return this.tx.runInPlatformScope('session authentication', async (m) => {
      const [row] = await m.query(
        `select u.id as "userId", u.vendor_id as "vendorId", u.organisation_id as "organisationId", u.email, u.roles,
                s.mfa_pending as "mfaPending", s.mfa_verified_at as "mfaVerifiedAt",
                (u.totp_enabled_at is not null) as "mfaEnrolled",
                s.last_seen_at < now() - interval '1 minute' as stale
         from sessions s join users u on u.id = s.user_id
         where s.id = $1 and s.revoked_at is null and s.expires_at > now()
           and s.last_seen_at > now() - make_interval(secs => $2)`,
        [id, SESSION_IDLE_SECONDS],
      );
      if (!row) return undefined;
      if (row.stale) await m.query(`update sessions set last_seen_at = now() where id = $1`, [id]);
      delete row.stale;
      return row as ActiveSession;
    });
  }

  async markMfaVerified(id: string): Promise<void> {
    await this.tx.runInPlatformScope('session second factor', (m) =>
      m.query(`update sessions set mfa_pending = false, mfa_verified_at = now() where id = $1 and revoked_at is null`, [id]),
    );
  }

  async revoke(id: string): Promise<void> {
    await this.tx.runInPlatformScope('end session', (m) =>
      m.query(`update sessions set revoked_at = now() where id = $1 and revoked_at is null`, [id]),
    );
  }

  /** "Log out everywhere", and every password change or reset. */
  async revokeAllOfUser(userId: string): Promise<number> {
    return this.tx.runInPlatformScope('end sessions', async (m) => {
      const [, affected]: [unknown, number] = await m.query(
        `update sessions set revoked_at = now() where user_id = $1 and revoked_at is null`,
        [userId],
      );
      return affected;
    });
  }
}
