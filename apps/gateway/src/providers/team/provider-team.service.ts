import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PasswordHasher } from '../../auth/users/password-hasher';
import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { SecurityEvents } from '../../common/security-events/security-events';
import { isUniqueViolation } from '../../database/pg-error';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { asVendorId } from '../../database/vendor-id';
import { EmailOutbox } from '../../notifications/email-outbox';
import { fieldError, parseForm } from '../parse-form';
import { INVITATION_TTL_SECONDS, invitationEmail } from '../provider-emails';
import { accountIdOf, providerScope } from '../provider-principal';
import { passwordProblem } from '../../auth/passwords/password-policy';
import { newPasswordSchema } from '../signup/signup.types';
import { UserTokenRepository, UserTokenRow } from '../tokens/user-token.repository';


const inviteSchema = z.object({
  email: z.email('Enter an email address like name@example.com').max(320),
  role: z.enum(['provider_admin', 'provider_viewer'], { error: 'Choose a role' }),
});

const acceptSchema = z
  .object({ name: z.string().trim().min(1, 'Enter your name').max(200), password: newPasswordSchema })
  .superRefine((s, ctx) => {
    const problem = passwordProblem(s.password) ? undefined : passwordProblem(s.password, { name: s.name });
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
  });

export interface TeamMember {
  id: string;
  name: string | null;
  email: string;
  roles: string[];
  createdAt: Date;
}

/**
 * A provider's team: its admins invite colleagues by email (each gets their own account, password and second
 * factor: no shared logins) and remove them. Invitations are single-use tokens; the invitee's account is created
 * verified (the link proves the address) in the organisation, with the invited role.
 */
@Injectable()
export class ProviderTeamService {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tokens: UserTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: EmailOutbox,
    private readonly audit: SecurityEvents,
  ) {}

  async members(principal: Principal): Promise<TeamMember[]> {
    const { vendorId, organisationId } = providerScope(principal);
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select id, name, email, roles, created_at as "createdAt" from users
          where vendor_id = $1 and organisation_id = $2 order by created_at, id`,
        [vendorId, organisationId],
      ),
    );
  }

  /** `linkFor` makes the emailed link from the token (the caller knows the web app's origin). */
  async invite(principal: Principal, input: unknown, linkFor: (token: string) => string): Promise<void> {
    const { vendorId, organisationId } = providerScope(principal, ['provider_admin']);
    const form = parseForm(inviteSchema, input);
    const email = form.email.trim();
    await this.tx.runInTenant(vendorId, async (m) => {
      const [org] = await m.query(`select org_code as "orgCode", legal_name as "legalName" from organisations where vendor_id = $1 and id = $2`, [vendorId, organisationId]);
      const [inviter] = await m.query(`select email from users where id = $1`, [accountIdOf(principal)]);
      const token = await this.tokens.issue(
        { purpose: 'team_invitation', vendorId, organisationId, userId: null, email, role: form.role, createdBy: principal.actorId, ttlSeconds: INVITATION_TTL_SECONDS },
        m,
      );
      await this.outbox.enqueue(invitationEmail(email, inviter ?? { email: 'Your colleague' }, org, form.role, vendorId, linkFor(token)), m);
    });
    await this.audit.recordSecurityEvent({ type: 'provider.member_invited', vendorId, organisationId, actor: principal, details: { role: form.role } });
  }

  /** The invitation behind a link, for the accept page; undefined when it is unknown, used or expired. */
  invitation(token: string): Promise<UserTokenRow | undefined> {
    return this.tokens.peek('team_invitation', token);
  }

  /** Creates the invitee's account; the token is used in the same transaction, so a refusal leaves it usable. */
  async accept(token: string, input: unknown): Promise<{ userId: string; email: string }> {
    const form = parseForm(acceptSchema, input);
    const hash = await this.hasher.hash(form.password);
    let created: { userId: string; invitation: UserTokenRow };
    try {
      created = await this.tx.runInPlatformScope('accept a team invitation', async (m) => {
        const invitation = await this.tokens.consume('team_invitation', token, m);
        if (!invitation?.vendorId || !invitation.organisationId || !invitation.role) {
          throw new AppError('provider.link_invalid', 'This invitation is invalid, has been used or has expired: ask for a new one');
        }
        const [row] = await m.query(
          `insert into users (vendor_id, organisation_id, name, email, password_hash, roles, email_verified_at)
           values ($1, $2, $3, $4, $5, $6, now()) returning id`,
          [invitation.vendorId, invitation.organisationId, form.name, invitation.email, hash, [invitation.role]],
        );
        return { userId: row.id as string, invitation };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) {
        throw fieldError('email', 'taken', 'An account with this email already exists: ask to be invited with another address');
      }
      throw err;
    }
    const { invitation } = created;
    await this.audit.recordSecurityEvent({
      type: 'provider.member_joined',
      vendorId: asVendorId(invitation.vendorId!),
      organisationId: invitation.organisationId!,
      details: { userId: created.userId, role: invitation.role, invitedBy: invitation.createdBy },
    });
    return { userId: created.userId, email: invitation.email };
  }

  async remove(principal: Principal, memberId: string): Promise<void> {
    const { vendorId, organisationId } = providerScope(principal, ['provider_admin']);
    if (memberId === accountIdOf(principal)) throw new AppError('provider.cannot_remove_self', 'You cannot remove yourself: ask another administrator');
    const removed = await this.tx.runInTenant(vendorId, async (m) => {
      const [, count] = await m.query(
        `delete from users where vendor_id = $1 and organisation_id = $2 and id = $3::uuid`,
        [vendorId, organisationId, /^[0-9a-f-]{36}$/i.test(memberId) ? memberId : '00000000-0000-0000-0000-000000000000'],
      );
      return count === 1;
    });
    if (!removed) throw new AppError('provider.member_not_found', 'No such member in your organisation');
    await this.audit.recordSecurityEvent({ type: 'provider.member_removed', vendorId, organisationId, actor: principal, details: { userId: memberId } });
  }
}
