import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PasswordHasher } from '../auth/users/password-hasher';
import { AppError } from '../common/errors/app-error';
import { Principal } from '../common/request-context/principal';
import { SecurityEvents } from '../common/security-events/security-events';
import { isUniqueViolation } from '../database/pg-error';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { asVendorId } from '../database/vendor-id';
import { EmailOutbox } from '../notifications/email-outbox';
import { fieldError, parseForm } from '../providers/parse-form';
import { passwordProblem } from '../auth/passwords/password-policy';
import { newPasswordSchema } from '../providers/signup/signup.types';
import { UserTokenRepository, UserTokenRow } from '../providers/tokens/user-token.repository';
import { VendorService } from '../tenancy/vendors/vendor.service';
import { VENDOR_INVITATION_TTL_SECONDS, vendorTeamInvitationEmail } from './vendor-emails';
import { userIdOf, VENDOR_ACTORS, vendorScope } from './vendor-scope';

export const VENDOR_TEAM_ROLES = ['vendor_admin', 'vendor_developer'] as const;

const inviteSchema = z.object({
  email: z.email('Enter an email address like name@example.com').max(320),
  role: z.enum(VENDOR_TEAM_ROLES, { error: 'Choose a role' }),
});

const acceptSchema = z
  .object({ name: z.string().trim().min(1, 'Enter your name').max(200), password: newPasswordSchema })
  .superRefine((s, ctx) => {
    const problem = passwordProblem(s.password) ? undefined : passwordProblem(s.password, { name: s.name });
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
  });

export interface VendorMember {
  id: string;
  name: string | null;
  email: string;
  roles: string[];
  mfaEnrolled: boolean;
  createdAt: Date;
}

/**
 * The vendor's own people (not its providers'): administrators invite colleagues by email as administrators or
 * developers (read only); each accepts with their own password and then sets up their own second factor. A
 * principal never grants more than it holds: only an administrator invites, and there is no role above it.
 */
@Injectable()
export class VendorTeamService {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tokens: UserTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: EmailOutbox,
    private readonly vendors: VendorService,
    private readonly audit: SecurityEvents,
  ) {}

  members(principal: Principal): Promise<VendorMember[]> {
    const vendorId = vendorScope(principal);
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select u.id, u.name, u.email, u.roles, u.created_at as "createdAt",
                (u.totp_enabled_at is not null) as "mfaEnrolled"
           from users u
          where u.vendor_id = $1 and u.organisation_id is null and u.roles && $2::text[] order by u.created_at, u.id`,
        [vendorId, [...VENDOR_TEAM_ROLES]],
      ),
    );
  }

  async invite(principal: Principal, input: unknown, linkFor: (token: string) => string): Promise<void> {
    const vendorId = vendorScope(principal, VENDOR_ACTORS, true);
    const form = parseForm(inviteSchema, input);
    const email = form.email.trim();
    const vendor = await this.vendors.get(vendorId);
    await this.tx.runInTenant(vendorId, async (m) => {
      const [inviter] = await m.query(`select email from users where id = $1`, [userIdOf(principal)]);
      const token = await this.tokens.issue(
        { purpose: 'vendor_invitation', vendorId, organisationId: null, userId: null, email, role: form.role, createdBy: principal.actorId, ttlSeconds: VENDOR_INVITATION_TTL_SECONDS },
        m,
      );
      await this.outbox.enqueue(vendorTeamInvitationEmail(email, inviter?.email ?? 'Your colleague', vendor, form.role, linkFor(token)), m);
    });
    await this.audit.recordSecurityEvent({ type: 'vendor.member_invited', vendorId, actor: principal, details: { role: form.role } });
  }

  async remove(principal: Principal, memberId: string): Promise<void> {
    const vendorId = vendorScope(principal, VENDOR_ACTORS, true);
    if (memberId === userIdOf(principal)) throw new AppError('vendor.cannot_remove_self', 'You cannot remove yourself: ask another administrator');
    const removed = await this.tx.runInTenant(vendorId, async (m) => {
      const [, count] = await m.query(
        `delete from users where vendor_id = $1 and organisation_id is null and roles && $3::text[] and id = $2::uuid`,
        [vendorId, /^[0-9a-f-]{36}$/i.test(memberId) ? memberId : '00000000-0000-0000-0000-000000000000', [...VENDOR_TEAM_ROLES]],
      );
      return count === 1;
    });
    if (!removed) throw new AppError('vendor.member_not_found', 'No such member in your team');
    await this.audit.recordSecurityEvent({ type: 'vendor.member_removed', vendorId, actor: principal, details: { userId: memberId } });
  }

  /** The invitation behind a link, for the accept page; undefined when it is unknown, used or expired. */
  invitation(token: string): Promise<UserTokenRow | undefined> {
    return this.tokens.peek('vendor_invitation', token);
  }

  /** Creates the invitee's account (verified: the link proves the address); the token is used in the same transaction. */
  async accept(token: string, input: unknown): Promise<{ userId: string; email: string }> {
    const form = parseForm(acceptSchema, input);
    const hash = await this.hasher.hash(form.password);
    let created: { userId: string; invitation: UserTokenRow };
    try {
      created = await this.tx.runInPlatformScope('accept a vendor team invitation', async (m) => {
        const invitation = await this.tokens.consume('vendor_invitation', token, m);
        if (!invitation?.vendorId || !invitation.role) {
          throw new AppError('vendor.link_invalid', 'This invitation is invalid, has been used or has expired: ask for a new one');
        }
        const [row] = await m.query(
          `insert into users (vendor_id, organisation_id, name, email, password_hash, roles, email_verified_at)
           values ($1, null, $2, $3, $4, $5, now()) returning id`,
          [invitation.vendorId, form.name, invitation.email, hash, [invitation.role]],
        );
        return { userId: row.id as string, invitation };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) {
        throw fieldError('email', 'taken', 'An account with this email already exists: ask to be invited with another address');
      }
      throw err;
    }
    await this.audit.recordSecurityEvent({
      type: 'vendor.member_joined',
      vendorId: asVendorId(created.invitation.vendorId!),
      details: { userId: created.userId, role: created.invitation.role, invitedBy: created.invitation.createdBy },
    });
    return { userId: created.userId, email: created.invitation.email };
  }
}
