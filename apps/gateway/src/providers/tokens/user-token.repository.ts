import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export type TokenPurpose = 'email_verification' | 'team_invitation' | 'vendor_invitation' | 'provider_invitation';

export interface UserTokenRow {
  id: string;
  purpose: TokenPurpose;
  vendorId: string | null;
  organisationId: string | null;
  userId: string | null;
  email: string;
  role: 'provider_admin' | 'provider_viewer' | 'vendor_admin' | 'vendor_developer' | null;
  /** A provider invitation's org code to pre-fill (optional). */
  orgCode?: string | null;
  createdBy: string | null;
  expiresAt: Date;
}

export type NewUserToken = Omit<UserTokenRow, 'id' | 'expiresAt'> & { ttlSeconds: number };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const COLUMNS = `id, purpose, vendor_id as "vendorId", organisation_id as "organisationId", user_id as "userId", email, role,
  org_code as "orgCode", created_by as "createdBy", expires_at as "expiresAt"`;

/**
 * Single-use tokens sent by email (address verification, team invitations). Only the SHA-256 is stored; the token
 * itself exists in the email alone. Redemption is one conditional update, so two clicks cannot both use it.
 * Looked up in the platform scope: whoever redeems one is not signed in, and the token is what names its tenant.
 */
@Injectable()
export class UserTokenRepository {
  constructor(private readonly tx: TenantTransaction) {}

  /** Returns the token to put in the email; `m` makes it commit with the change it belongs to. */
  async issue(token: NewUserToken, m: EntityManager): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    await m.query(
      `insert into user_tokens (token_hash, purpose, vendor_id, organisation_id, user_id, email, role, created_by, expires_at, org_code)
       values ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9), $10)`,
      [sha256(secret), token.purpose, token.vendorId, token.organisationId, token.userId, token.email, token.role, token.createdBy, token.ttlSeconds, token.orgCode ?? null],
    );
    return secret;
  }

  /** Valid, unused and unexpired: read without using it (to show the invitation before the form is sent). */
  peek(purpose: TokenPurpose, secret: string): Promise<UserTokenRow | undefined> {
    if (!isWellFormed(secret)) return Promise.resolve(undefined);
    return this.tx.runInPlatformScope('read an emailed token', async (m) => {
      const [row] = await m.query(
        `select ${COLUMNS} from user_tokens where token_hash = $1 and purpose = $2 and used_at is null and cancelled_at is null and expires_at > now()`,
        [sha256(secret), purpose],
      );
      return row;
    });
  }

  /** Uses the token inside `m`'s transaction: undefined when it is unknown, used or expired. */
  async consume(purpose: TokenPurpose, secret: string, m: EntityManager): Promise<UserTokenRow | undefined> {
    if (!isWellFormed(secret)) return undefined;
    const [rows] = await m.query(
      `update user_tokens set used_at = now()
        where token_hash = $1 and purpose = $2 and used_at is null and cancelled_at is null and expires_at > now() returning ${COLUMNS}`,
      [sha256(secret), purpose],
    );
    return rows[0];
  }
}

function isWellFormed(secret: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(secret);
}
