import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { EmailSender } from '@gateway/notifications/email-sender';
import { EmailOutbox } from '@gateway/notifications/email-outbox';
import { passwordResetEmail } from '@gateway/auth/passwords/password-reset-email';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

/** Just enough SMTP (RFC 5321, no TLS, no auth) to receive messages; `refuse` answers every RCPT with 550. */
function fakeSmtp(): { server: Server; received: string[]; refuse: { on: boolean } } {
  const received: string[] = [];
  const refuse = { on: false };
  const server = createServer((socket: Socket) => {
    let data: string | undefined;
    let buffer = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (data !== undefined) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        received.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 5);
        data = undefined;
        socket.write('250 queued\r\n');
      }
      let nl: number;
      while (data === undefined && (nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-fake\r\n250 8BITMIME\r\n');
        else if (verb === 'RCPT') socket.write(refuse.on ? '550 no such user\r\n' : '250 ok\r\n');
        else if (verb === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return { server, received, refuse };
}

/** Issue 15: with SMTP_URL the outbox is sent (text and HTML parts); a one-time link does not stay in the database. */
describe('EmailSender over SMTP', () => {
  let gw: GatewayTestApp;
  let smtp: ReturnType<typeof fakeSmtp>;

  beforeAll(async () => {
    smtp = fakeSmtp();
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    gw = await createGatewayApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Gateway <gw@example.test>' } });
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await new Promise((resolve) => smtp.server.close(resolve));
  });

  it('sends pending messages with both parts, marks them sent and scrubs the reset link', async () => {
    const outbox = gw.app.get(EmailOutbox);
    const link = 'http://gw.example/password/reset?token=secret-token-123';
    const id = await outbox.enqueue(passwordResetEmail('someone@example.test', null, link, 30));
    const sender = gw.app.get(EmailSender);
    // The background round may already have sent it; either way it ends sent, once.
    await sender.sendDue();
    for (let i = 0; i < 50 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received).toHaveLength(1);
    const message = smtp.received[0];
    expect(message).toContain('Subject: Reset your USI Gateway password');
    expect(message).toMatch(/From: Gateway <gw@example\.test>/);
    expect(message).toContain('Content-Type: text/plain');
    expect(message).toContain('Content-Type: text/html');
    const [row] = await queryAs<{ status: string; text_body: string; html_body: string | null }>(
      gw.db.ownerUrl,
      `select status, text_body, html_body from email_outbox where id = $1`,
      [id],
    );
    expect(row.status).toBe('sent');
    expect(JSON.stringify(row)).not.toContain('secret-token-123');
  });

  it('keeps a refused message pending with the reason, for a later attempt', async () => {
    smtp.refuse.on = true;
    const id = await gw.app.get(EmailOutbox).enqueue({ to: 'x@example.test', subject: 'Hi', text: 'Hello', template: 'test.hello', vendorId: null });
    await gw.app.get(EmailSender).sendDue();
    const read = () =>
      queryAs<{ status: string; last_error: string | null; attempts: number }>(
        gw.db.ownerUrl,
        `select status, last_error, attempts from email_outbox where id = $1`,
        [id],
      ).then((rows) => rows[0]);
    // The background round may have claimed it first: wait for whichever attempt to finish.
    let row = await read();
    for (let i = 0; i < 50 && !row.last_error; i++) row = await new Promise((r) => setTimeout(r, 100)).then(read);
    smtp.refuse.on = false;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/550/);
  });
});
