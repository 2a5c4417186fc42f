import type { Page } from 'playwright-core';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import type { UserRole } from '@gateway/common/request-context/principal';
import { WebhookEvents } from '@gateway/common/webhook-events/webhook-events';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { BrowserHarness, describeInBrowser } from '../support/browser/browser-session';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';
import { queryAs } from '../support/test-database';
import { startReceiver, TestReceiver, until, verifiesWith } from '../gateway/webhooks/support/test-receiver';

jest.setTimeout(180_000);

/**
 * Webhook endpoints managed in the vendor console in a real browser: a vendor admin signs in with TOTP, registers an
 * endpoint pointing at a local receiver (127.0.0.1, allowed by the development flag WEBHOOK_ALLOW_LOOPBACK), sees
 * the signing secret once, an event is delivered and shows in the delivery log, is redelivered from the log, the
 * secret is rotated (the receiver verifies both signatures during the overlap) and the endpoint deleted. A developer
 * sees the endpoint but no control, and a POST with its own valid form token is refused. axe-core on every step
 * (0 serious or critical); screenshots test-results/screenshots/vendor-webhooks--*.png.
 */
describeInBrowser('vendor console webhooks in a browser', () => {
  let gw: GatewayTestApp;
  let receiver: TestReceiver;
  let vendorId: VendorId;
  let browser: BrowserHarness;

  beforeAll(async () => {
    receiver = await startReceiver();
    gw = await createGatewayApp({ env: { WEBHOOK_ALLOW_LOOPBACK: 'true', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' } });
    vendorId = asVendorId((await gw.newVendor()).id);
    browser = await BrowserHarness.forApp(gw.app, 'vendor-webhooks');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await receiver?.close();
  });

  const check = (page: Page, step: string) => browser.check(page, step);
  const path = (page: Page) => new URL(page.url()).pathname;

  async function signIn(roles: UserRole[], next = '/vendor/webhooks') {
    const user = await gw.newUser({ vendorId, roles });
    const secret = await gw.app.get(MfaService).enrolWithSecret(user.id);
    const { context, page } = await browser.newPage();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { context, page };
  }

  it('vendor admin: register (secret once), delivery in the log, redeliver, rotate, delete; a developer changes nothing', async () => {
    const { context, page } = await signIn(['vendor_admin']);
    expect(path(page)).toBe('/vendor/webhooks');
    expect(await page.locator('#no-webhooks').count()).toBe(1);
    await check(page, 'empty');

    // 1. A refused URL (a private address) is shown on the form, what was typed kept.
    await page.getByLabel('Endpoint URL').fill('http://10.0.0.7/hooks');
    await page.getByLabel('credential.expiring').check();
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    expect(await page.locator('#field-url-error').textContent()).toContain('must not point to a private or reserved address');
    expect(await page.locator('.error-summary').count()).toBe(1);
    expect(await page.getByLabel('credential.expiring').isChecked()).toBe(true);
    await check(page, 'register-refused');

    // 2. Registered against the local receiver: the secret shown once, with a warning.
    const url = `${receiver.base}/browser`;
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('credential.expired').check();
    await page.getByLabel('Description (optional)').fill('Browser receiver');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    expect(await page.locator('[role=alert]').textContent()).toContain('shown only once');
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await check(page, 'registered-secret');
    await page.getByRole('link', { name: /I have stored it/ }).click();
    expect(path(page)).toMatch(/^\/vendor\/webhooks\/[0-9a-f-]{36}$/);
    const endpointPath = path(page);
    expect(await page.content()).not.toContain(secret.slice(6));
    expect(await page.locator('#no-deliveries').count()).toBe(1);
    await check(page, 'endpoint');

    // 3. An event: delivered to the receiver, signed with that secret, and in the delivery log.
    await gw.app.get(WebhookEvents).emit(vendorId, 'credential.expiring', { credentialId: 'c-1', daysLeft: 7 });
    await until(() => receiver.at('/browser').length === 1);
    const [first] = receiver.at('/browser');
    expect(verifiesWith(secret, first.headers, first.body)).toBe(true);
    await until(async () => {
      await page.reload();
      return (await page.locator('#deliveries').count()) === 1 && /succeeded/.test((await page.locator('#deliveries').textContent()) ?? '');
    });
    expect(await page.locator('#deliveries').textContent()).toContain('credential.expiring');
    await check(page, 'delivery-log');

    // 4. Redelivered from the log: the same webhook-id again, two attempts logged.
    await page.getByRole('button', { name: /Redeliver/ }).click();
    expect(await page.locator('.notice').textContent()).toContain('queued to be sent again');
    await until(() => receiver.at('/browser').length === 2);
    expect(receiver.at('/browser')[1].headers['webhook-id']).toBe(first.headers['webhook-id']);
    await until(async () => {
      await page.reload();
      return /succeeded\s*2/.test((await page.locator('#deliveries tbody tr').first().textContent()) ?? '');
    });
    await check(page, 'redelivered');

    // 5. The secret rotated: the new one shown once; during the overlap deliveries carry both signatures.
    await page.getByRole('button', { name: 'Rotate the signing secret' }).click();
    const rotated = await page.getByLabel('Signing secret').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.locator('#previous-secret-overlap').textContent()).toContain('Still signs until');
    await check(page, 'rotated-secret');
    await page.getByRole('link', { name: /I have stored it/ }).click();
    expect(await page.content()).not.toContain(rotated.slice(6));
    await gw.app.get(WebhookEvents).emit(vendorId, 'credential.expired', { credentialId: 'c-1' });
    await until(() => receiver.at('/browser').length === 3);
    const third = receiver.at('/browser')[2];
    expect([verifiesWith(rotated, third.headers, third.body), verifiesWith(secret, third.headers, third.body)]).toEqual([true, true]);
    await context.close();

    // 6. A developer of the vendor: sees the endpoint and its log, has no control; a POST is refused.
    const dev = await signIn(['vendor_developer'], endpointPath);
    expect(path(dev.page)).toBe(endpointPath);
    expect(await dev.page.locator('#webhook-endpoint').textContent()).toContain(url);
    expect(await dev.page.getByRole('button').filter({ hasText: /Redeliver|Rotate|Disable|Save/ }).count()).toBe(0);
    await check(dev.page, 'developer-endpoint');
    const csrf = await dev.page.locator('input[name=_csrf]').first().inputValue();
    const post = await dev.page.request.post(`${endpointPath}/rotate-secret`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    expect(await post.text()).not.toContain('whsec_');
    await dev.context.close();

    // 7. The admin deletes it after a confirmation.
    const admin = await signIn(['vendor_admin'], endpointPath);
    await admin.page.getByRole('link', { name: 'Delete' }).click();
    await check(admin.page, 'delete-confirm');
    await admin.page.getByRole('button', { name: 'Delete the endpoint' }).click();
    expect(path(admin.page)).toBe('/vendor/webhooks');
    expect(await admin.page.locator('.notice').textContent()).toContain('deleted');
    expect(await admin.page.locator('#no-webhooks').count()).toBe(1);
    await check(admin.page, 'deleted');
    expect(await queryAs(gw.db.ownerUrl, `select 1 from webhook_endpoints where vendor_id = $1`, [vendorId])).toHaveLength(0);
    await admin.context.close();
  });
});
