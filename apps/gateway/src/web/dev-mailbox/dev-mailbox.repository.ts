import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  template: string;
  status: string;
  createdAt: Date;
  text: string;
  html: string | null;
}

const COLUMNS = `id, to_address as "to", subject, template, status, created_at as "createdAt", text_body as text, html_body as html`;

/** Reads the outbox across tenants for the development mailbox (never registered in production). */
@Injectable()
export class DevMailboxRepository {
  constructor(private readonly tx: TenantTransaction) {}

  recent(limit = 50): Promise<MailboxMessage[]> {
    return this.tx.runInPlatformScope('development mailbox', (m) =>
      m.query(`select ${COLUMNS} from email_outbox order by created_at desc, id desc limit $1`, [limit]),
    );
  }

  find(id: string): Promise<MailboxMessage | undefined> {
    return this.tx.runInPlatformScope('development mailbox', async (m) => {
      const [row] = await m.query(`select ${COLUMNS} from email_outbox where id = $1`, [id]);
      return row;
    });
  }
}
