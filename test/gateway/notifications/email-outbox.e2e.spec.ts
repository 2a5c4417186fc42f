import { DataSource } from 'typeorm';
import { EmailOutbox } from '@gateway/notifications/email-outbox';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

describe('EmailOutbox', () => {
  let gw: GatewayTestApp;
  let outbox: EmailOutbox;
  let vendorA: string;
  let vendorB: string;

  beforeAll(async () => {
    gw = await createGatewayApp();
    outbox = gw.app.get(EmailOutbox);
    vendorA = (await gw.newVendor()).id;
    vendorB = (await gw.newVendor()).id;
  });
  afterAll(() => gw?.close());

  const mail = (vendorId: string | null, to: string) => ({ to, vendorId, subject: 'Hello', text: 'Body', template: 'test.hello' });

  it('enqueues {to, subject, text, html?, template} as a pending row, sending nothing', async () => {
    const id = await outbox.enqueue({ ...mail(vendorA, 'a@example.test'), html: '<p>Body</p>' });
    const [row] = await queryAs(gw.db.ownerUrl, `select * from email_outbox where id = $1`, [id]);
    expect(row).toMatchObject({
      vendor_id: vendorA,
      to_address: 'a@example.test',
      subject: 'Hello',
      text_body: 'Body',
      html_body: '<p>Body</p>',
      template: 'test.hello',
      status: 'pending',
      attempts: 0,
      sent_at: null,
    });
  });

  it.each([
    ['a line break in the recipient', { to: 'a@example.test\r\nBcc: x@evil.test' }],
    ['a line break in the subject', { subject: 'Hi\nBcc: x@evil.test' }],
    ['a recipient that is no address', { to: 'nobody' }],
    ['a bad template name', { template: 'Bad Template' }],
  ])('refuses %s', async (_, change) => {
    await expect(outbox.enqueue({ ...mail(vendorA, 'a@example.test'), ...change })).rejects.toThrow(/EmailOutbox/);
  });

  it('keeps each tenant to its own rows, and platform rows to the platform scope (RLS)', async () => {
    await outbox.enqueue(mail(vendorB, 'b@example.test'));
    await outbox.enqueue(mail(null, 'staff@example.test'));
    const ds = await new DataSource({ type: 'postgres', url: gw.db.appUrl, extra: { max: 1 } }).initialize();
    try {
      const seen = (vendorId: string | null) =>
        ds.transaction(async (m) => {
          if (vendorId) await m.query(`select set_config('app.vendor_id', $1, true)`, [vendorId]);
          return (await m.query(`select to_address from email_outbox order by to_address`)).map((r: { to_address: string }) => r.to_address);
        });
      expect(await seen(vendorB)).toEqual(['b@example.test']);
      expect(await seen(null)).toEqual([]);
      await expect(
        ds.transaction(async (m) => {
          await m.query(`select set_config('app.vendor_id', $1, true)`, [vendorB]);
          await m.query(`insert into email_outbox (vendor_id, to_address, subject, text_body, template) values ($1, 'x@example.test', 's', 't', 'test.x')`, [vendorA]);
        }),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await ds.destroy();
    }
  });
});
