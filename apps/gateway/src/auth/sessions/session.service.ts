import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { asVendorId } from '../../database/vendor-id';
import { PasswordHasher } from '../users/password-hasher';
import { UserRepository } from '../users/user.repository';
import { User } from '../users/user.types';
import { LoginThrottleRepository, ThrottlePolicy } from './login-throttle.repository';
import { SessionRepository } from './session.repository';

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/** Verified against when the email is unknown, so both paths cost one scrypt. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + Buffer.alloc(64).toString('base64');

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: Omit<User, 'createdAt'>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class SessionService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<IssuedSession> {
    const throttleKey = sha256(`${email.trim().toLowerCase()}|${clientAddress}`);
    const wait = await this.throttle.lockedForSeconds(throttleKey);
    if (wait > 0) throw tooManyAttempts(wait);

    const user = await this.users.findForLogin(email.trim());
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? DUMMY_HASH);
    if (user?.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      throw tooManyAttempts(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000));
    }
    if (!user || !passwordOk) {
      await this.throttle.recordFailure(throttleKey, LOGIN_THROTTLE);
      if (user) await this.users.recordLogin(user.id, false);
      // Never the email tried: it is contact data, and for unknown users possibly someone else's.
      await this.audit.recordSecurityEvent({
        type: 'auth.login_failed',
        vendorId: user?.vendorId ? asVendorId(user.vendorId) : undefined,
        details: { userId: user?.id ?? null, clientAddress },
      });
      throw new AppError('auth.invalid_credentials', 'Email or password is incorrect');
    }
    await this.throttle.clear(throttleKey);
    await this.users.recordLogin(user.id, true);
    await this.audit.recordSecurityEvent({
      type: 'auth.login',
      vendorId: user.vendorId ? asVendorId(user.vendorId) : undefined,
      details: { userId: user.id, roles: user.roles, clientAddress },
    });

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
    await this.sessions.create(sha256(token), user.id, user.vendorId, expiresAt);
    const { id, vendorId, organisationId, email: userEmail, roles } = user;
    return { token, expiresAt, user: { id, vendorId, organisationId, email: userEmail, roles } };
  }

  async authenticate(token: string): Promise<Principal> {
    const session = token.length <= 64 ? await this.sessions.findActive(sha256(token)) : undefined;
    if (!session) throw new AppError('auth.unauthenticated', 'The session is invalid or has expired');
    return {
      kind: 'user',
      vendorId: session.vendorId ? asVendorId(session.vendorId) : null,
      organisationIds: session.organisationId ? [session.organisationId] : null,
      scopes: [],
      roles: session.roles,
      actorId: `user:${session.userId}`,
    };
  }

  async logout(token: string): Promise<void> {
    await this.sessions.revoke(sha256(token));
  }
}

function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError('auth.too_many_attempts', 'Too many failed logins; try again later', { retryAfterSeconds });
}
