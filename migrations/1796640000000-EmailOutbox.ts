import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSecuritySql } from './support/tenant-table.sql';

/**
 * Emails waiting to be sent (EmailOutbox, apps/gateway/src/notifications): a row is enqueued in the transaction of the
 * change it reports, and a sender (a later issue: SMTP when SMTP_URL is set, else a development mailbox page) marks
 * it sent. Addresses and bodies are personal data of the tenant whose user they concern, so the table is a tenant
 * table: RLS on `vendor_id`, whose NULL (platform staff) is visible only in the platform scope, like `users`.
 * Bodies never carry secrets (no passwords, tokens or links that act on the account). `migrate` grants DML.
 */
export class EmailOutbox1796640000000 implements MigrationInterface {
  name = 'EmailOutbox1796640000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE email_outbox (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         vendor_id uuid REFERENCES vendors(id) ON DELETE CASCADE,
         to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320 AND to_address !~ '[\\r\\n]'),
         subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200 AND subject !~ '[\\r\\n]'),
         text_body text NOT NULL CHECK (length(text_body) <= 100000),
         html_body text CHECK (length(html_body) <= 200000),
         template text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_.]{0,63}$'),
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
         attempts integer NOT NULL DEFAULT 0,
         last_error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         send_after timestamptz NOT NULL DEFAULT now(),
         sent_at timestamptz,
         CONSTRAINT email_outbox_sent_check CHECK ((status = 'sent') = (sent_at IS NOT NULL)))`,
      `CREATE INDEX email_outbox_pending_idx ON email_outbox (send_after) WHERE status = 'pending'`,
      `CREATE INDEX email_outbox_vendor_created_idx ON email_outbox (vendor_id, created_at, id)`,
      ...tenantTableSecuritySql('email_outbox'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_outbox`);
  }
}
