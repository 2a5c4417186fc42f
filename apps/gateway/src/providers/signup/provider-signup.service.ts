import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../../auth/users/password-hasher';
import { AppError } from '../../common/errors/app-error';
import { SecurityEvents } from '../../common/security-events/security-events';
import { EmailOutbox } from '../../notifications/email-outbox';
import { fieldError, parseForm } from '../parse-form';
import { verificationEmail, VERIFICATION_TTL_SECONDS } from '../provider-emails';
import { UserTokenRepository } from '../tokens/user-token.repository';
import { ProviderAccount, ProviderAccountRepository } from './provider-account.repository';
import { signupSchema } from './signup.types';


/**
 * A training provider's own account. Signing up stores the account unverified (it cannot sign in: the login query
 * skips it) and emails a single-use link; following the link verifies the address. The account, its token and the
 * email commit together or not at all.
 */
@Injectable()
export class ProviderSignupService {
  constructor(
    private readonly accounts: ProviderAccountRepository,
    private readonly tokens: UserTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: EmailOutbox,
    private readonly audit: SecurityEvents,
  ) {}

  /** `linkFor` makes the emailed link from the token (the caller knows the web app's origin). */
  async signup(input: unknown, linkFor: (token: string) => string): Promise<{ userId: string }> {
    const form = parseForm(signupSchema, input);
    const email = form.email.trim();
    const account = await this.accounts.createUnverified(
      { name: form.name, email, passwordHash: await this.hasher.hash(form.password) },
      async (created, m) => {
        const token = await this.tokens.issue(
          { purpose: 'email_verification', vendorId: null, organisationId: null, userId: created.id, email, role: null, createdBy: null, ttlSeconds: VERIFICATION_TTL_SECONDS },
          m,
        );
        await this.outbox.enqueue(verificationEmail(email, form.name, linkFor(token)), m);
      },
    );
    if (!account) throw fieldError('email', 'taken', 'An account with this email already exists: sign in, or reset your password');
    await this.audit.recordSecurityEvent({ type: 'provider.signed_up', details: { userId: account.id } });
    return { userId: account.id };
  }

  /** Uses the link; a second use, an unknown or an expired one is `provider.link_invalid`. */
  async verifyEmail(token: string): Promise<ProviderAccount> {
    const account = await this.accounts.run('verify a provider email', async (m) => {
      const used = await this.tokens.consume('email_verification', token, m);
      return used?.userId ? this.accounts.markVerified(m, used.userId) : undefined;
    });
    if (!account) throw new AppError('provider.link_invalid', 'This confirmation link is invalid, has been used or has expired. Sign up again, or sign in if you already confirmed.');
    await this.audit.recordSecurityEvent({ type: 'provider.email_verified', details: { userId: account.id } });
    return account;
  }
}
