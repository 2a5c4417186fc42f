import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { asVendorId } from '../database/vendor-id';

/**
 * One email to send. Never a password or key in it. The one exception to "no link that acts on the account" is the
 * password reset link (single use, 30 minutes): EmailSender cuts it from the stored copy once sent.
 */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Which message this is (`auth.login_failures` …): for the sender's templates, tests and support. */
  template: string;
  /** The tenant of the user it concerns (RLS); null for platform staff. */
  vendorId: string | null;
}

const TEMPLATE = /^[a-z][a-z0-9_.]{0,63}$/;
/** A line break in an address or subject would let a value add mail headers of its own. */
const HEADER_BREAK = /[\r\n]/;

/**
 * Enqueues emails in `email_outbox` (migration EmailOutbox); nothing is sent here. EmailSender sends them through
 * SMTP when SMTP_URL is set; otherwise they stay here, readable at /dev/mailbox outside production. Given a manager,
 * the row commits with the change it reports (in that transaction's RLS scope); otherwise in its own transaction, in
 * the tenant of `vendorId` (or the platform scope for platform staff).
 */
@Injectable()
export class EmailOutbox {
  constructor(private readonly tx: TenantTransaction) {}

  async enqueue(email: OutgoingEmail, m?: EntityManager): Promise<string> {
    if (HEADER_BREAK.test(email.to) || HEADER_BREAK.test(email.subject) || !email.to.includes('@')) {
      throw new Error('EmailOutbox: invalid recipient or subject');
    }
    if (!TEMPLATE.test(email.template)) throw new Error('EmailOutbox: invalid template name');
    const insert = async (manager: EntityManager): Promise<string> => {
      const [row] = await manager.query(
        `insert into email_outbox (vendor_id, to_address, subject, text_body, html_body, template)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [email.vendorId, email.to, email.subject, email.text, email.html ?? null, email.template],
      );
      return row.id as string;
    };
    if (m) return insert(m);
    return email.vendorId ? this.tx.runInTenant(asVendorId(email.vendorId), insert) : this.tx.runInPlatformScope('enqueue platform email', insert);
  }
}
