import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { SecurityEvents } from '../../common/security-events/security-events';
import { asVendorId } from '../../database/vendor-id';
import { EmailOutbox } from '../../notifications/email-outbox';
import { MfaService } from '../mfa/mfa.service';
import { SessionRepository } from '../sessions/session.repository';
import { PasswordHasher } from '../users/password-hasher';
import { passwordProblem } from './password-policy';
import { passwordResetEmail } from './password-reset-email';
import { PasswordOwner, PasswordRepository } from './password.repository';

/** A reset link lasts 30 minutes and works once (issue 15). */
export const RESET_LINK_MINUTES = 30;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Password change (signed in, current password required) and reset by emailed link. Either ends every session of
 * the account and forgets its remembered devices; both are audited without any password or token.
 */
@Injectable()
export class PasswordService {
  constructor(
    private readonly repository: PasswordRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionRepository,
    private readonly mfa: MfaService,
    private readonly outbox: EmailOutbox,
    private readonly audit: SecurityEvents,
  ) {}

  /**
   * Emails a reset link when the address has an account; says nothing either way (the caller shows the same page).
   * `linkFor` builds the link from the token (the page knows the public address).
   */
  async requestReset(email: string, linkFor: (token: string) => string): Promise<void> {
    const owner = await this.repository.findByEmail(email.trim());
    if (!owner) return;
    const token = randomBytes(32).toString('base64url');
    await this.repository.storeResetLink(owner.userId, sha256(token), RESET_LINK_MINUTES * 60, async (m) => {
      await this.outbox.enqueue(passwordResetEmail(owner.email, owner.vendorId, linkFor(token), RESET_LINK_MINUTES), m);
    });
    await this.record('auth.password_reset_requested', owner);
  }

  isResetLinkValid(token: string): Promise<boolean> {
    return token.length > 100 ? Promise.resolve(false) : this.repository.isResetLinkValid(sha256(token));
  }

  /** Sets the new password through the link (once); 400 `auth.invalid_reset_link` when used, expired or unknown. */
  async reset(token: string, newPassword: string): Promise<void> {
    const problem = passwordProblem(newPassword);
    if (problem) throw new AppError('request.validation', problem, undefined, [{ path: 'password', code: 'weak', message: problem }]);
    const owner = token.length > 100 ? undefined : await this.repository.consumeResetLink(sha256(token), await this.hasher.hash(newPassword));
    if (!owner) throw new AppError('auth.invalid_reset_link', 'This password reset link has expired or has already been used');
    await this.signOutEverywhere(owner.userId);
    await this.record('auth.password_reset', owner);
  }

  /** 401 `auth.invalid_credentials` when the current password is wrong. */
  async change(owner: PasswordOwner, currentPassword: string, newPassword: string): Promise<void> {
    const hash = await this.repository.passwordHashOf(owner.userId);
    if (!hash || !(await this.hasher.verify(currentPassword, hash))) {
      throw new AppError('auth.invalid_credentials', 'The current password is not right');
    }
    const problem = passwordProblem(newPassword, { email: owner.email });
    if (problem) throw new AppError('request.validation', problem, undefined, [{ path: 'newPassword', code: 'weak', message: problem }]);
    await this.repository.setPasswordHash(owner.userId, await this.hasher.hash(newPassword));
    await this.signOutEverywhere(owner.userId);
    await this.record('auth.password_changed', owner);
  }

  private async signOutEverywhere(userId: string): Promise<void> {
    await this.sessions.revokeAllOfUser(userId);
    await this.mfa.forgetDevices(userId);
  }

  private record(type: string, owner: PasswordOwner): Promise<void> {
    return this.audit.recordSecurityEvent({ type, vendorId: owner.vendorId ? asVendorId(owner.vendorId) : undefined, details: { userId: owner.userId } });
  }
}
