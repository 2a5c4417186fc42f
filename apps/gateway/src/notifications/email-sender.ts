import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { TenantTransaction } from '../database/tenant-transaction.service';

/** Each SMTP step (connect, greeting, each command) must answer within this; a send is one outbound call. */
const SMTP_TIMEOUT_MS = 10_000;
const POLL_MS = 5_000;
const BATCH = 20;
const MAX_ATTEMPTS = 8;
/** Templates whose body holds a link that acts on the account: once sent, the stored copy is cut to a note. */
const ONE_TIME_LINK_TEMPLATES = new Set(['auth.password_reset', 'provider.verify_email', 'provider.team_invitation', 'vendor.team_invitation', 'vendor.provider_invitation']);

interface Pending {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
  attempts: number;
}

/**
 * Sends the outbox through SMTP (nodemailer) when SMTP_URL is set; otherwise it does nothing and messages stay in
 * the outbox, readable at /dev/mailbox outside production. Rows are claimed with SKIP LOCKED so instances never
 * send one twice; a failure is retried with a growing delay up to MAX_ATTEMPTS, then marked failed. Polls with a
 * chained timer (not setInterval: a slow round never overlaps the next).
 */
@Injectable()
export class EmailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EmailSender.name);
  private transport?: Transporter;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.smtpUrl) return;
    const url = new URL(this.config.mail.smtpUrl);
    const secure = url.protocol === 'smtps:';
    this.transport = createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** One round: claims and sends up to BATCH due messages; returns how many were sent. */
  async sendDue(): Promise<number> {
    if (!this.transport) return 0;
    const batch: Pending[] = await this.tx.runInPlatformScope('email outbox: claim', (m) =>
      m.query(
        `update email_outbox set send_after = now() + interval '5 minutes', attempts = attempts + 1
         where id in (select id from email_outbox where status = 'pending' and send_after <= now()
                      order by send_after limit $1 for update skip locked)
         returning id, to_address as "to", subject, text_body as text, html_body as html, template, attempts`,
        [BATCH],
      ).then((r: [Pending[], number]) => r[0]),
    );
    let sent = 0;
    for (const message of batch) {
      try {
        await this.transport.sendMail({
          from: this.config.mail.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        });
        await this.markSent(message);
        sent++;
      } catch (err) {
        await this.markFailed(message, err);
      }
    }
    return sent;
  }

  private async markSent(message: Pending): Promise<void> {
    const scrub = ONE_TIME_LINK_TEMPLATES.has(message.template);
    await this.tx.runInPlatformScope('email outbox: sent', (m) =>
      m.query(
        `update email_outbox set status = 'sent', sent_at = now(), last_error = null,
                text_body = case when $2 then '(sent; removed from the outbox because it held a one-time link)' else text_body end,
                html_body = case when $2 then null else html_body end
         where id = $1`,
        [message.id, scrub],
      ),
    );
  }

  private async markFailed(message: Pending, err: unknown): Promise<void> {
    // The SMTP server's answer, never the message: it may hold a link.
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    this.logger.warn({ msg: 'email not sent', emailId: message.id, attempts: message.attempts, reason });
    const final = message.attempts >= MAX_ATTEMPTS;
    await this.tx.runInPlatformScope('email outbox: failed', (m) =>
      m.query(
        `update email_outbox set last_error = $2, status = case when $3 then 'failed' else status end,
                send_after = now() + make_interval(secs => $4) where id = $1`,
        [message.id, reason, final, Math.min(3600, 30 * 2 ** message.attempts)],
      ),
    );
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sendDue()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.error({ err }, 'email outbox round failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule(POLL_MS);
        });
    }, delayMs).unref();
  }
}
