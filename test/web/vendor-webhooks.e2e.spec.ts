import { SESSION_COOKIE } from '@gateway/auth/sessions/session-cookie';
import { SessionService } from '@gateway/auth/sessions/session.service';
import type { UserRole } from '@gateway/common/request-context/principal';
import { WebhookEvents } from '@gateway/common/webhook-events/webhook-events';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { WebhookEndpointsService } from '@gateway/webhooks/endpoints/webhook-endpoints.service';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';
import { WebFormClient } from '../support/web-form-client';
import { seedDeliveries } from '../gateway/webhooks/support/seed-deliveries';
import { startReceiver, TestReceiver, until, verifiesWith } from '../gateway/webhooks/support/test-receiver';

jest.setTimeout(60_000);

/**
 * Webhook endpoints managed in the vendor console over HTTP (the browser test drives the same pages in Chromium):
 * the form's refusals next to their fields (never a 500), the secret shown once, the delivery log and redelivery,
 * rotation, enable / disable, delete; a vendor developer reads and changes nothing; another vendor's endpoint is a 404.
 */
describe('vendor console: webhook endpoints', () => {
  let gw: GatewayTestApp;
  let receiver: TestReceiver;
  let vendorId: VendorId;
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(gw.db.ownerUrl, sql, params);

  beforeAll(async () => {
    receiver = await startReceiver();
    // Loopback allowed (the development and test flag) so the receiver can be local.
    gw = await createGatewayApp({ env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    vendorId = asVendorId((await gw.newVendor()).id);
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  async function signedIn(roles: UserRole[], vendor: string = vendorId): Promise<WebFormClient> {
    const user = await gw.newUser({ vendorId: vendor, roles });
    const issued = await gw.app
      .get(SessionService)
      .issue({ id: user.id, vendorId: vendor, organisationId: null, email: user.email, roles }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    const b = new WebFormClient(gw.http);
    b.setCookie(SESSION_COOKIE, issued.token);
    return b;
  }
  const endpointCount = async () => (await owner<{ n: number }>(`select count(*)::int as n from webhook_endpoints where vendor_id = $1`, [vendorId]))[0].n;
  const secretOf = (html: string) => /id="copy-webhook-secret"[^>]* value="(whsec_[^"]+)"/.exec(html)?.[1];

  it('shows each refusal next to its field, with what was typed: bad URL, SSRF-refused address, unknown event type, none chosen', async () => {
    const b = await signedIn(['vendor_admin']);
    expect((await b.get('/vendor/webhooks')).text).toContain('action="/vendor/webhooks"');
    const before = await endpointCount();
    const cases: [Record<string, string | string[]>, string, RegExp][] = [
      [{ url: 'not a url', eventTypes: ['credential.expired'] }, 'url', /must be an absolute URL/],
      [{ url: 'ftp://hooks.example.com/x', eventTypes: ['credential.expired'] }, 'url', /must be an http or https URL/],
      [{ url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['credential.expired'] }, 'url', /must not point to a private or reserved address/],
      [{ url: 'http://10.1.2.3/hook', eventTypes: ['credential.expired'] }, 'url', /must not point to a private or reserved address/],
      [{ url: 'https://hooks.example.com/x', eventTypes: ['credential.exploded'] }, 'eventTypes', /Unknown event type: credential\.exploded/],
      [{ url: 'https://hooks.example.com/x', description: 'Kept' }, 'eventTypes', /Choose at least one event type/],
    ];
    for (const [form, field, message] of cases) {
      const res = await b.post('/vendor/webhooks', form);
      expect({ form, status: res.status }).toEqual({ form, status: 422 });
      const error = new RegExp(`id="field-${field}-error"><span class="visually-hidden">Error: </span>([^<]*)<`).exec(res.text)?.[1] ?? '';
      expect({ form, error }).toEqual({ form, error: expect.stringMatching(message) });
      expect(res.text).toContain('class="error-summary"');
      expect(res.text).toContain(`value="${String(form.url).replace(/&/g, '&amp;')}"`);
    }
    expect(await endpointCount()).toBe(before);
  });

  it('registers an endpoint (secret once), logs a delivery, redelivers it, rotates the secret, disables, enables and deletes', async () => {
    const b = await signedIn(['vendor_admin']);
    await b.get('/vendor/webhooks');
    const created = await b.post('/vendor/webhooks', { url: `${receiver.base}/console`, eventTypes: ['credential.expiring', 'credential.expired'], description: 'Console receiver' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const secret = secretOf(created.text)!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const id = /href="\/vendor\/webhooks\/([0-9a-f-]{36})"/.exec(created.text)![1];

    // Never shown again: not on the list, not on the endpoint's page.
    const list = await b.get('/vendor/webhooks');
    expect(list.text).toContain(`<code>${receiver.base}/console</code>`);
    expect(list.text).not.toContain(secret.slice(6));
    const page = await b.get(`/vendor/webhooks/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(secret.slice(6));
    expect(page.text).toContain('id="no-deliveries"');

    // An event: delivered, signed with the secret shown, and in the log.
    await gw.app.get(WebhookEvents).emit(vendorId, 'credential.expiring', { credentialId: 'c-1', daysLeft: 7 });
    await until(() => receiver.at('/console').length === 1);
    const [first] = receiver.at('/console');
    expect(verifiesWith(secret, first.headers, first.body)).toBe(true);
    let log = '';
    await until(async () => (log = (await b.get(`/vendor/webhooks/${id}`)).text).includes('status--active">succeeded'));
    expect(log).toContain('HTTP 200');
    const deliveryId = /\/deliveries\/([0-9a-f-]{36})\/redeliver/.exec(log)![1];

    // Redelivered: the same webhook-id, a second attempt in the log.
    const again = await b.post(`/vendor/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {});
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/vendor/webhooks/${id}?done=redelivered`);
    await until(() => receiver.at('/console').length === 2);
    expect(receiver.at('/console')[1].headers['webhook-id']).toBe(first.headers['webhook-id']);
    await until(async () => /succeeded<\/span><\/td><td>2<\/td>/.test((await b.get(`/vendor/webhooks/${id}?done=redelivered`)).text));

    // Rotation: a new secret once, the previous one still signing during the overlap (both signatures sent).
    const rotated = await b.post(`/vendor/webhooks/${id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const newSecret = secretOf(rotated.text)!;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    expect(rotated.text).toContain('id="previous-secret-overlap"');
    expect((await b.get(`/vendor/webhooks/${id}`)).text).not.toContain(newSecret.slice(6));
    await gw.app.get(WebhookEvents).emit(vendorId, 'credential.expired', { credentialId: 'c-1' });
    await until(() => receiver.at('/console').length === 3);
    const third = receiver.at('/console')[2];
    expect([verifiesWith(newSecret, third.headers, third.body), verifiesWith(secret, third.headers, third.body)]).toEqual([true, true]);

    // Settings changed, then disabled (a redelivery is refused with a message, not an error page), enabled again.
    const edited = await b.post(`/vendor/webhooks/${id}`, { url: `${receiver.base}/console`, eventTypes: ['credential.expired'], description: '' });
    expect(edited.headers.location).toBe(`/vendor/webhooks/${id}?done=updated`);
    const [row] = await owner<{ event_types: string[]; description: string | null }>(`select event_types, description from webhook_endpoints where id = $1`, [id]);
    expect(row).toEqual({ event_types: ['credential.expired'], description: null });
    const badEdit = await b.post(`/vendor/webhooks/${id}`, { url: 'http://[fd00:ec2::254]/', eventTypes: ['credential.expired'] });
    expect(badEdit.status).toBe(422);
    expect(badEdit.text).toMatch(/id="field-url-error">[^]*must not point to a private or reserved address/);
    expect((await b.post(`/vendor/webhooks/${id}/disable`, {})).headers.location).toBe(`/vendor/webhooks/${id}?done=disabled`);
    expect((await b.get(`/vendor/webhooks/${id}`)).text).toContain('id="webhook-status">disabled');
    const refused = await b.post(`/vendor/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {});
    expect(refused.headers.location).toBe(`/vendor/webhooks/${id}?refused=disabled`);
    expect((await b.get(refused.headers.location)).text).toContain('id="redeliver-error"');
    expect((await b.post(`/vendor/webhooks/${id}/enable`, {})).headers.location).toBe(`/vendor/webhooks/${id}?done=enabled`);
    expect((await b.get(`/vendor/webhooks/${id}`)).text).toContain('id="webhook-status">enabled');

    // Deleted after a confirmation page.
    const confirm = await b.get(`/vendor/webhooks/${id}/delete`);
    expect(confirm.text).toContain(`action="/vendor/webhooks/${id}/delete"`);
    expect((await b.post(`/vendor/webhooks/${id}/delete`, {})).headers.location).toBe('/vendor/webhooks?deleted=1');
    expect(await owner(`select 1 from webhook_endpoints where id = $1`, [id])).toHaveLength(0);
    expect((await b.get(`/vendor/webhooks/${id}`)).status).toBe(404);
  });

  it('shows the delivery log newest first, 50 to a page, with links to older deliveries and back', async () => {
    const principal = { kind: 'user' as const, vendorId, scopes: [], roles: ['vendor_admin' as const], actorId: 'test' };
    const endpoint = await gw.app.get(WebhookEndpointsService).create(vendorId, principal, { url: 'https://hooks.example.com/log', eventTypes: ['credential.expiring'] });
    const ids = await seedDeliveries(gw.db.ownerUrl, vendorId, endpoint.id, 52);
    const b = await signedIn(['vendor_admin']);
    const shown = (html: string) => [...html.matchAll(/\/deliveries\/([0-9a-f-]{36})\/redeliver/g)].map((m) => m[1]);

    const first = await b.get(`/vendor/webhooks/${endpoint.id}`);
    expect(shown(first.text)).toEqual(ids.slice(2).reverse());
    expect(first.text).not.toContain('id="newest-deliveries"');
    const older = /id="older-deliveries" href="([^"]+)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toMatch(new RegExp(`^/vendor/webhooks/${endpoint.id}\\?cursor=`));

    const second = await b.get(older!);
    expect(second.status).toBe(200);
    expect(shown(second.text)).toEqual([ids[1], ids[0]]);
    expect(second.text).not.toContain('id="older-deliveries"');
    expect(second.text).toContain(`id="newest-deliveries" href="/vendor/webhooks/${endpoint.id}"`);

    // A cursor this page did not hand out: a page that says so, not a server error.
    const forged = await b.get(`/vendor/webhooks/${endpoint.id}?cursor=not-a-cursor`);
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('<h1>Link not valid</h1>');
  });

  it("a vendor developer sees endpoints and their log but changes nothing; another vendor's endpoint is a 404", async () => {
    const principal = { kind: 'user' as const, vendorId, scopes: [], roles: ['vendor_admin' as const], actorId: 'test' };
    const endpoint = await gw.app.get(WebhookEndpointsService).create(vendorId, principal, { url: 'https://hooks.example.com/dev', eventTypes: ['credential.expired'] });
    const dev = await signedIn(['vendor_developer']);
    const list = await dev.get('/vendor/webhooks');
    expect(list.status).toBe(200);
    expect(list.text).toContain('read-only access');
    expect(list.text).not.toContain('action="/vendor/webhooks"');
    const page = await dev.get(`/vendor/webhooks/${endpoint.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<code>https://hooks.example.com/dev</code>');
    expect(page.text).not.toMatch(/action="\/vendor\/webhooks\/[^"]+"/);

    const u = '00000000-0000-4000-8000-000000000000';
    const refusals = [
      await dev.post('/vendor/webhooks', { url: 'https://hooks.example.com/mine', eventTypes: ['credential.expired'] }),
      await dev.post(`/vendor/webhooks/${endpoint.id}`, { url: 'https://hooks.example.com/moved', eventTypes: ['credential.expired'] }),
      await dev.post(`/vendor/webhooks/${endpoint.id}/disable`, {}),
      await dev.post(`/vendor/webhooks/${endpoint.id}/rotate-secret`, {}),
      await dev.get(`/vendor/webhooks/${endpoint.id}/delete`),
      await dev.post(`/vendor/webhooks/${endpoint.id}/delete`, {}),
      await dev.post(`/vendor/webhooks/${endpoint.id}/deliveries/${u}/redeliver`, {}),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(refusals.map((r) => r.text).join('')).not.toContain('whsec_');
    const [row] = await owner<{ url: string; status: string }>(`select url, status from webhook_endpoints where id = $1`, [endpoint.id]);
    expect(row).toEqual({ url: 'https://hooks.example.com/dev', status: 'enabled' });
    expect(await owner(`select 1 from webhook_endpoints where url = 'https://hooks.example.com/mine'`)).toHaveLength(0);

    // An admin of another vendor: the endpoint does not exist for them.
    const other = await signedIn(['vendor_admin'], (await gw.newVendor()).id);
    await other.get('/vendor/webhooks');
    expect((await other.get(`/vendor/webhooks/${endpoint.id}`)).status).toBe(404);
    expect((await other.post(`/vendor/webhooks/${endpoint.id}/rotate-secret`, {})).status).toBe(404);
    expect((await other.post(`/vendor/webhooks/${endpoint.id}/delete`, {})).status).toBe(404);
    expect(await owner(`select 1 from webhook_endpoints where id = $1`, [endpoint.id])).toHaveLength(1);
  });
});
