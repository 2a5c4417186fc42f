import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { NotFoundError } from '../common/errors/app-error';
import { Principal } from '../common/request-context/principal';
import { SecurityEvents } from '../common/security-events/security-events';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { asVendorId, VendorId } from '../database/vendor-id';
import { EmailOutbox } from '../notifications/email-outbox';
import { parseForm } from '../providers/parse-form';
import { UserTokenRepository, UserTokenRow } from '../providers/tokens/user-token.repository';
import { VendorService } from '../tenancy/vendors/vendor.service';
import { PROVIDER_INVITATION_TTL_SECONDS, providerInvitationEmail } from './vendor-emails';
import { VENDOR_ACTORS, vendorScope } from './vendor-scope';

const inviteSchema = z.object({
  email: z.email('Enter an email address like name@example.com').max(320),
  orgCode: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{0,8}$/, 'An organisation code is up to 8 letters and digits')),
});

export interface ProviderInvitation {
  id: string;
  email: string;
  orgCode: string | null;
  createdAt: Date;
  expiresAt: Date;
  status: 'open' | 'used' | 'cancelled' | 'expired';
}

/**
 * A vendor invites a training provider by email: a single-use link (user_tokens, `provider_invitation`, only its
 * hash stored) that pre-fills the vendor and optionally the org code on the provider's organisation form, valid 14
 * days. Resending issues a new link and cancels the old one; cancelling makes the link worthless.
 */
@Injectable()
export class ProviderInvitationService {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tokens: UserTokenRepository,
    private readonly outbox: EmailOutbox,
    private readonly vendors: VendorService,
    private readonly audit: SecurityEvents,
  ) {}

  list(principal: Principal): Promise<ProviderInvitation[]> {
    const vendorId = vendorScope(principal);
    return this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `select id, email, org_code as "orgCode", created_at as "createdAt", expires_at as "expiresAt",
                case when used_at is not null then 'used' when cancelled_at is not null then 'cancelled'
                     when expires_at <= now() then 'expired' else 'open' end as status
           from user_tokens where vendor_id = $1 and purpose = 'provider_invitation'
          order by created_at desc, id limit 100`,
        [vendorId],
      ),
    );
  }

  /** `linkFor` makes the emailed link from the token (the caller knows the web app's origin). */
  async invite(principal: Principal, input: unknown, linkFor: (token: string) => string): Promise<void> {
    const vendorId = vendorScope(principal, VENDOR_ACTORS, true);
    const form = parseForm(inviteSchema, input);
    await this.send(principal, vendorId, form.email.trim(), form.orgCode || null, linkFor);
  }

  /** A new link for an open (or expired) invitation; the old link stops working. */
  async resend(principal: Principal, id: string, linkFor: (token: string) => string): Promise<void> {
    const vendorId = vendorScope(principal, VENDOR_ACTORS, true);
    const old = await this.cancelRow(vendorId, id, ['open', 'expired']);
    await this.send(principal, vendorId, old.email, old.orgCode ?? null, linkFor);
  }

  async cancel(principal: Principal, id: string): Promise<void> {
    const vendorId = vendorScope(principal, VENDOR_ACTORS, true);
    await this.cancelRow(vendorId, id, ['open']);
    await this.audit.recordSecurityEvent({ type: 'vendor.provider_invitation_cancelled', vendorId, actor: principal, details: { invitationId: id } });
  }

  /** The invitation behind a link (unknown, used, cancelled or expired: undefined), with its vendor's name. */
  async peek(token: string): Promise<(UserTokenRow & { vendorName: string }) | undefined> {
    const row = await this.tokens.peek('provider_invitation', token);
    if (!row?.vendorId) return undefined;
    const vendor = await this.tx.runInPlatformScope('provider invitation: its vendor', (m) => m.query(`select name from vendors where id = $1`, [row.vendorId]));
    return { ...row, vendorName: (vendor as { name: string }[])[0]?.name ?? 'Your SMS vendor' };
  }

  private async send(principal: Principal, vendorId: VendorId, email: string, orgCode: string | null, linkFor: (token: string) => string): Promise<void> {
    const vendor = await this.vendors.get(vendorId);
    await this.tx.runInTenant(vendorId, async (m) => {
      const token = await this.tokens.issue(
        { purpose: 'provider_invitation', vendorId, organisationId: null, userId: null, email, role: null, orgCode, createdBy: principal.actorId, ttlSeconds: PROVIDER_INVITATION_TTL_SECONDS },
        m,
      );
      await this.outbox.enqueue(providerInvitationEmail(email, vendor, orgCode, linkFor(token)), m);
    });
    await this.audit.recordSecurityEvent({ type: 'vendor.provider_invited', vendorId, actor: principal, details: orgCode ? { orgCode } : {} });
  }

  private async cancelRow(vendorId: VendorId, id: string, from: ProviderInvitation['status'][]): Promise<{ email: string; orgCode: string | null }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('invitation');
    const [rows] = await this.tx.runInTenant(vendorId, (m) =>
      m.query(
        `update user_tokens set cancelled_at = now()
          where vendor_id = $1 and id = $2 and purpose = 'provider_invitation' and used_at is null and cancelled_at is null
            and ($3 or expires_at > now())
          returning email, org_code as "orgCode"`,
        [vendorId, id, from.includes('expired')],
      ),
    );
    const row = (rows as { email: string; orgCode: string | null }[])[0];
    if (!row) throw new NotFoundError('invitation');
    return row;
  }

  /** Uses the invitation once its provider has registered an organisation under the inviting vendor. */
  async redeem(token: string, vendorId: string): Promise<void> {
    const used = await this.tx.runInPlatformScope('provider invitation: used', async (m) => {
      const row = await this.tokens.peek('provider_invitation', token);
      return row?.vendorId === vendorId ? this.tokens.consume('provider_invitation', token, m) : undefined;
    });
    if (used?.vendorId) await this.audit.recordSecurityEvent({ type: 'vendor.provider_invitation_used', vendorId: asVendorId(used.vendorId), details: { invitationId: used.id } });
  }
}
