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
import { ActiveSession, SessionRepository } from './session.repository';
import { MfaService } from '../mfa/mfa.service';

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** Per (account, address): 5 failures within 15 minutes lock the pair for 15 minutes. */
export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** An address that signed in to the account this recently is the owner's as far as the slow-down is concerned. */
export const KNOWN_ADDRESS_DAYS = 90;

/** Verified against when the email is unknown, so both paths cost one scrypt. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + Buffer.alloc(64).toString('base64');

/** How a session's sign-in was completed (audited): `pending` until a web sign-in's second step. */
export type SignInFactor = 'pending' | 'not_enrolled' | 'totp' | 'recovery_code' | 'remembered_device';

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
    private readonly mfa: MfaService,
  ) {}

  /**
   * Wrong passwords are answered per (account, address) and never lock the account for everyone:
   * - 5 failures of one pair within 15 minutes lock that pair for 15 minutes (429 `auth.too_many_attempts`);
   * - from SLOW_DOWN_FROM (10) consecutive failures of the account on, an address that has not signed in to it
   *   before gets one attempt per 1 s, 2 s, 4 s … (at most 5 minutes), 429 meanwhile; an address that has signed in
   *   within KNOWN_ADDRESS_DAYS is not slowed down, so strangers cannot keep the owner out;
   * - the owner is emailed when the streak reaches 10, 100, 1000 … failures.
   * Every failure also counts against the client address (FailedAuthLimiter, in the controllers).
   */
  async verifyPassword(email: string, password: string, clientAddress: string): Promise<LoginCandidate> {
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
    return user;
  }

  /**
   * The JSON API's login. A user with a second factor must send its code (`secondFactor`: a TOTP code or a recovery
   * code) or is answered 401 `auth.mfa_required`; a user without one signs in with the password alone, as before.
   */
  async login(email: string, password: string, clientAddress: string, secondFactor?: string): Promise<IssuedSession> {
    const user = await this.verifyPassword(email, password, clientAddress);
    if (!user.mfaEnrolled) return this.issue(user, { clientAddress, mfa: 'not_enrolled' });
    if (!secondFactor) {
      throw new AppError('auth.mfa_required', 'This account has two-step sign-in: send the current code from the authenticator app as totpCode');
    }
    return this.issue(user, { clientAddress, mfa: await this.mfa.verify(user.id, secondFactor) });
  }

  /**
   * A session for a user whose password was just checked. `mfa: 'pending'` (a web sign-in before its second step)
   * is accepted by the second-step pages only; the sign-in is audited when the session is complete.
   */
  async issue(user: Pick<User, 'id' | 'vendorId' | 'organisationId' | 'email' | 'roles'>, options: { clientAddress: string; mfa: SignInFactor }): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
    const mfaPending = options.mfa === 'pending';
    await this.sessions.create({
      id: sha256(token),
      userId: user.id,
      vendorId: user.vendorId,
      expiresAt,
      mfaPending,
      mfaVerified: options.mfa === 'totp' || options.mfa === 'recovery_code' || options.mfa === 'remembered_device',
    });
    if (!mfaPending) await this.auditLogin(user, options.clientAddress, options.mfa);
    const { id, vendorId, organisationId, email, roles } = user;
    return { token, expiresAt, user: { id, vendorId, organisationId, email, roles } };
  }

  /** The web sign-in's second step passed: the pending session becomes a full one. */
  async completeSecondFactor(token: string, session: ActiveSession, method: SignInFactor, clientAddress: string): Promise<void> {
    await this.sessions.markMfaVerified(sha256(token));
    await this.auditLogin({ id: session.userId, vendorId: session.vendorId, roles: session.roles }, clientAddress, method);
  }

  private async auditLogin(user: Pick<User, 'id' | 'vendorId' | 'roles'>, clientAddress: string, mfa: SignInFactor): Promise<void> {
    await this.audit.recordSecurityEvent({
      type: 'auth.login',
      vendorId: user.vendorId ? asVendorId(user.vendorId) : undefined,
      details: { userId: user.id, roles: user.roles, clientAddress, mfa },
    });
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

  /** The session behind a cookie, whatever its second-factor state (web pages decide what each state may see). */
  async inspect(token: string): Promise<ActiveSession | undefined> {
    return token.length <= 64 ? this.sessions.findActive(sha256(token)) : undefined;
  }

  /** For the API guard: a session still waiting for its second factor is no session at all. */
  async authenticate(token: string): Promise<Principal> {
    const session = await this.inspect(token);
    if (!session || session.mfaPending) throw new AppError('auth.unauthenticated', 'The session is invalid or has expired');
    return principalOf(session);
  }

  async logout(token: string): Promise<void> {
    const session = await this.inspect(token);
    await this.sessions.revoke(sha256(token));
    if (session) await this.auditLogout(session, 'this_session');
  }

  /** Ends every session of the user and forgets every remembered device. */
  async logoutEverywhere(session: ActiveSession): Promise<void> {
    await this.sessions.revokeAllOfUser(session.userId);
    await this.mfa.forgetDevices(session.userId);
    await this.auditLogout(session, 'everywhere');
  }

  private async auditLogout(session: ActiveSession, scope: 'this_session' | 'everywhere'): Promise<void> {
    await this.audit.recordSecurityEvent({
      type: 'auth.logout',
      vendorId: session.vendorId ? asVendorId(session.vendorId) : undefined,
      details: { userId: session.userId, scope },
    });
  }
}

export function principalOf(session: ActiveSession): Principal {
  return {
    kind: 'user',
    vendorId: session.vendorId ? asVendorId(session.vendorId) : null,
    organisationIds: session.organisationId ? [session.organisationId] : null,
    scopes: [],
    roles: session.roles,
    actorId: `user:${session.userId}`,
  };
}

/** 10, 100, 1000 …: one notice when the slow-down starts, then one each time the streak grows tenfold. */
function isNoticeThreshold(failures: number): boolean {
  for (let t = SLOW_DOWN_FROM; t <= failures; t *= 10) if (t === failures) return true;
  return false;
}

function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError('auth.too_many_attempts', 'Too many failed logins; try again later', { retryAfterSeconds });
}
