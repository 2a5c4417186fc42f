import { Injectable } from '@nestjs/common';
import { UserRole } from '../../common/request-context/principal';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface ActiveSession {
  userId: string;
  vendorId: string | null;
  organisationId: string | null;
  roles: UserRole[];
}

/** Sessions are keyed by the SHA-256 of the cookie token; the token itself is never stored. */
@Injectable()
export class SessionRepository {
  constructor(private readonly tx: TenantTransaction) {}

  async create(id: string, userId: string, vendorId: string | null, expiresAt: Date): Promise<void> {
    await this.tx.runInPlatformScope('issue session', (m) =>
      m.query(`insert into sessions (id, user_id, vendor_id, expires_at) values ($1, $2, $3, $4)`, [
        id,
        userId,
        vendorId,
        expiresAt,
      ]),
    );
  }

  /** The cookie is all we have before authentication, hence the platform scope. */
  findActive(id: string): Promise<ActiveSession | undefined> {
    return this.tx.runInPlatformScope('session authentication', async (m) => {
      const [row] = await m.query(
        `select u.id as "userId", u.vendor_id as "vendorId", u.organisation_id as "organisationId", u.roles
         from sessions s join users u on u.id = s.user_id
         where s.id = $1 and s.revoked_at is null and s.expires_at > now()`,
        [id],
      );
      return row;
    });
  }

  async revoke(id: string): Promise<void> {
    await this.tx.runInPlatformScope('end session', (m) =>
      m.query(`update sessions set revoked_at = now() where id = $1 and revoked_at is null`, [id]),
    );
  }
}
