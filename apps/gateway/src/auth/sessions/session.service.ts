import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SecurityEvents } from '../../common/security-events/security-events';
import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { asVendorId } from '../../database/vendor-id';
import { clientAddressKey } from '../../common/http/client-address';
import { EmailOutbox } from '../../notifications/email-outbox';
import { PasswordHasher } from '../users/password-hasher';
import { SLOW_DOWN_FROM, UserRepository } from '../users/user.repository';
import { LoginCandidate, User } from '../users/user.types';
import { loginFailureNotice } from './login-failure-notice';
import { LoginThrottleRepository, ThrottlePolicy } from './login-throttle.repository';
import { SessionRepository } from './session.repository';

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** Per (account, address): 5 failures within 15 minutes lock the pair for 15 minutes. */
export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** An address that signed in to the account this recently is the owner's as far as the slow-down is concerned. */
export const KNOWN_ADDRESS_DAYS = 90;

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
    private readonly audit: SecurityEvents,
    private readonly outbox: EmailOutbox,
  ) {}

  /**
   * Wrong passwords are answered per (account, address) and never lock the account for everyone:
   * - 5 failures of one pair within 15 minutes lock that pair for 15 minutes (429 `auth.too_many_attempts`);
   * - from SLOW_DOWN_FROM (10) consecutive failures of the account on, an address that has not signed in to it
   *   before gets one attempt per 1 s, 2 s, 4 s … (at most 5 minutes), 429 meanwhile; an address that has signed in
   *   within KNOWN_ADDRESS_DAYS is not slowed down, so strangers cannot keep the owner out;
   * - the owner is emailed when the streak reaches 10, 100, 1000 … failures.
   * Every failure also counts against the client address (FailedAuthLimiter, in the controller).
   */
  async login(email: string, password: string, clientAddress: string): Promise<IssuedSession> {
    const throttleKey = sha256(`${email.trim().toLowerCase()}|${clientAddressKey(clientAddress)}`);
    const pair = await this.throttle.state(throttleKey, KNOWN_ADDRESS_DAYS);
    if (pair.lockedForSeconds > 0) throw tooManyAttempts(pair.lockedForSeconds);

    const user = await this.users.findForLogin(email.trim());
    if (user && !pair.known && user.failedLogins >= SLOW_DOWN_FROM) {
      const wait = await this.users.claimSlowedAttempt(user.id);
      if (wait > 0) throw tooManyAttempts(wait);
    }
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !passwordOk) {
      await this.throttle.recordFailure(throttleKey, LOGIN_THROTTLE);
      if (user) await this.recordFailure(user, clientAddress);
      throw new AppError('auth.invalid_credentials', 'Email or password is incorrect');
    }
    await this.throttle.recordSuccess(throttleKey);
    await this.users.recordLoginSuccess(user.id);
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

  /**
   * The failure on the account (with the owner's notice when the streak reaches a power of ten from 10 on, in the
   * same transaction) and its security event. A wrong email has no account: its failure is audited with the other
   * failures of the address (AnonymousFailureAudit) rather than on its own; never with the email tried, which is
   * contact data and, for unknown users, possibly someone else's.
   */
  private async recordFailure(user: LoginCandidate, clientAddress: string): Promise<void> {
    const failures = await this.users.recordLoginFailure(user.id, async (count, m) => {
      if (!isNoticeThreshold(count)) return;
      await this.outbox.enqueue(
        loginFailureNotice({ to: user.email, vendorId: user.vendorId, failures: count, lastAttemptAt: new Date(), lastAddress: clientAddress }),
        m,
      );
    });
    await this.audit.recordSecurityEvent({
      type: 'auth.login_failed',
      vendorId: user.vendorId ? asVendorId(user.vendorId) : undefined,
      details: { userId: user.id, clientAddress, consecutiveFailures: failures },
    });
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

/** 10, 100, 1000 …: one notice when the slow-down starts, then one each time the streak grows tenfold. */
function isNoticeThreshold(failures: number): boolean {
  for (let t = SLOW_DOWN_FROM; t <= failures; t *= 10) if (t === failures) return true;
  return false;
}

function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError('auth.too_many_attempts', 'Too many failed logins; try again later', { retryAfterSeconds });
}
