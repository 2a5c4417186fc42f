import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import type { UserRole } from '@gateway/common/request-context/principal';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { randomAbn } from '../support/abn';
import { BrowserHarness, describeInBrowser } from '../support/browser/browser-session';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

jest.setTimeout(180_000);

const SAMPLE = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

/**
 * Issue 16, the vendor console in a real browser against the simulator: a vendor admin signs in with TOTP, uploads
 * the simulator-issued keystore and sees its details, creates an API key and copies it, the test calls the API with
 * it, the call shows in the overview, the key is revoked and refused, a provider is invited and the email's link
 * works. Role walls: a developer cannot create keys or upload credentials (by URL and by POST); a provider user
 * reaches no vendor page. axe-core on every page (0 serious or critical); screenshots test-results/screenshots/vendor--*.png.
 */
describeInBrowser('vendor console in a browser', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  let browser: BrowserHarness;
  let orgCode: string;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' });
    // A vendor without a credential yet: the admin uploads it in the browser.
    vendor = await env.gw.newVendor({ abn: randomAbn() });
    orgCode = (await env.newOrganisation(vendor, { status: 'active', notified: true })).organisation.orgCode;
    browser = await BrowserHarness.forApp(env.gw.app, 'vendor');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const check = (page: Page, step: string) => browser.check(page, step);
  const path = (page: Page) => new URL(page.url()).pathname;
  const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Vendor console' }).getByRole('link', { name }).click();

  /** A user of the vendor with TOTP set up, signed in through the pages (password, then a code from the secret). */
  async function signIn(roles: UserRole[], next = '/vendor', organisationId: string | null = null) {
    const user = await env.gw.newUser({ vendorId: vendor.id, roles, organisationId });
    const secret = await env.gw.app.get(MfaService).enrolWithSecret(user.id);
    const { context, page } = await browser.newPage();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { context, page, email: user.email };
  }

  const verifyWith = (key: string) =>
    request(env.gw.http).post(`/v1/organisations/${orgCode}/usi/verify`).set('Authorization', `Bearer ${key}`).send(SAMPLE);

  it('vendor admin: keystore, API key used then revoked, provider invitation with a working link', async () => {
    const { context, page } = await signIn(['vendor_admin']);
    expect(path(page)).toBe('/vendor');
    expect(await page.locator('main').textContent()).toContain('No active machine credential');
    await check(page, 'overview-no-credential');

    // 1. The keystore the simulator's CA issues, uploaded in two steps; its details shown.
    const name = `Br${randomBytes(3).toString('hex')}`;
    const file = join(mkdtempSync(join(tmpdir(), 'vendor-keystore-')), 'keystore.xml');
    writeFileSync(file, env.sim.admin.issueKeystore({ abn: vendor.abn, name, password: 'keystore pw' }));
    await section(page, 'Machine credential');
    await check(page, 'credential-upload');
    await page.getByLabel('Keystore file').setInputFiles(file);
    await page.getByRole('button', { name: 'Continue' }).click();
    await check(page, 'credential-choose');
    expect(await page.getByLabel(new RegExp(`ABRD:${vendor.abn}_${name}`)).isChecked()).toBe(true);
    await page.getByLabel('Keystore password').fill('wrong password');
    await page.getByRole('button', { name: 'Upload and check' }).click();
    expect(await page.locator('#field-password-error').count()).toBe(1);
    await check(page, 'credential-wrong-password');
    await page.getByLabel('Keystore password').fill('keystore pw');
    await page.getByRole('button', { name: 'Upload and check' }).click();
    expect(await page.locator('.notice').textContent()).toContain('now active');
    const details = (await page.locator('#active-credential').textContent())!;
    expect(details).toContain(vendor.abn);
    expect(details).toContain(`ABRD:${vendor.abn}_${name}`);
    expect(details).toMatch(/SHA-1 fingerprint\s*\S{20,}/);
    expect(await page.getByRole('row', { name: /active/ }).count()).toBe(1);
    await check(page, 'credential-active');
    // Revoking the only credential: confirmed first, then the service's question (calls would stop); cancelled.
    await page.getByRole('link', { name: /^Revoke ABRD:/ }).click();
    await check(page, 'credential-revoke-confirm');
    await page.getByRole('button', { name: 'Revoke the credential' }).click();
    expect(await page.locator('#credential-question').textContent()).toContain('is the last valid credential');
    await check(page, 'credential-revoke-last');
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(await page.getByRole('row', { name: /active/ }).count()).toBe(1);

    // 2. An API key: shown once with a copy button (the external copy.js) and a warning.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await section(page, 'API keys');
    await check(page, 'api-keys-empty');
    await page.getByLabel('Name').fill('Browser SMS');
    await page.getByLabel(/^usi:verify/).check();
    await page.getByRole('button', { name: 'Create API key' }).click();
    expect(await page.locator('[role=alert]').textContent()).toContain('shown only once');
    const key = await page.getByLabel('API key').inputValue();
    await page.getByRole('button', { name: /Copy/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await check(page, 'api-key-created');

    // 3. The test calls the API with the copied key; the call shows in the overview.
    const call = await verifyWith(key);
    expect(call.status).toBe(200);
    await page.getByRole('link', { name: 'I have stored it' }).click();
    expect(await page.locator('#api-keys').textContent()).not.toContain(key);
    await section(page, 'Overview');
    expect(Number(await page.locator('#calls-7').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#credential-days').textContent()).toMatch(/^\d+$/);
    await check(page, 'overview-with-call');
    await section(page, 'Providers');
    await page.getByRole('link', { name: orgCode }).click();
    expect(await page.locator('main').textContent()).toContain(String(call.headers['x-request-id']));
    await check(page, 'provider-page');

    // 4. Revoked after a confirmation: the API refuses the key.
    await section(page, 'API keys');
    await page.getByRole('link', { name: 'Revoke Browser SMS' }).click();
    await check(page, 'api-key-revoke-confirm');
    await page.getByRole('button', { name: 'Revoke the key' }).click();
    expect(await page.locator('.notice').textContent()).toContain('revoked');
    expect((await verifyWith(key)).status).toBe(401);
    await check(page, 'api-keys-revoked');

    // 5. A provider invited by email: the message is in the development mailbox, and its link works.
    const to = `college-${randomBytes(3).toString('hex')}@example.test`;
    await section(page, 'Providers');
    await page.getByLabel('Their email address').fill('not an address');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('#field-email-error').count()).toBe(1);
    await check(page, 'providers-bad-email');
    await page.getByLabel('Their email address').fill(to);
    await page.getByLabel(/organisation code/).fill('NEW42');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.notice').textContent()).toContain('Invitation sent');
    expect(await page.locator('#invitations').textContent()).toContain(to);
    await check(page, 'providers-invited');
    // 6. A colleague invited to the team as a developer: own account from the emailed link, then own second factor.
    const colleague = `dev-${randomBytes(3).toString('hex')}@example.test`;
    await section(page, 'Team');
    await page.getByLabel('Their email address').fill(colleague);
    await page.getByLabel(/^Developer/).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.notice').textContent()).toContain('Invitation sent');
    await check(page, 'team');
    await context.close();

    const joiner = await browser.newPage();
    await joiner.page.goto('/dev/mailbox');
    await joiner.page.getByRole('row', { name: new RegExp(colleague.replace(/[.]/g, '\\.')) }).getByRole('link', { name: /You are invited/ }).click();
    await joiner.page.goto((await joiner.page.locator('#email-text a').first().getAttribute('href'))!);
    await check(joiner.page, 'team-join');
    await joiner.page.getByLabel('Your name').fill('Dev Colleague');
    await joiner.page.getByLabel('Choose a password').fill('a long unusual passphrase 9');
    await joiner.page.getByRole('button', { name: 'Create my account' }).click();
    expect(await joiner.page.locator('h1').textContent()).toBe('Your account is ready');
    await joiner.page.locator('main').getByRole('link', { name: 'Sign in' }).click();
    await joiner.page.getByLabel('Email address').fill(colleague);
    await joiner.page.getByLabel('Password').fill('a long unusual passphrase 9');
    await joiner.page.getByRole('button', { name: 'Continue' }).click();
    expect(path(joiner.page)).toBe('/mfa/setup');
    await joiner.context.close();

    const provider = await browser.newPage();
    await provider.page.goto('/dev/mailbox');
    await provider.page.getByRole('row', { name: new RegExp(to.replace(/[.]/g, '\\.')) }).getByRole('link', { name: /invites you/ }).click();
    const link = await provider.page.locator('#email-text a').first().getAttribute('href');
    expect(link).toMatch(/\/provider\/invitation\?token=/);
    await provider.page.goto(link!);
    expect(await provider.page.locator('main').textContent()).toContain(vendor.name);
    expect(await provider.page.locator('main').textContent()).toContain('NEW42');
    await check(provider.page, 'provider-invitation-link');
    await provider.context.close();
  });

  it('role walls: a developer cannot create keys or upload credentials; a provider user reaches no vendor page', async () => {
    const dev = await signIn(['vendor_developer'], '/vendor/api-keys');
    expect(path(dev.page)).toBe('/vendor/api-keys');
    expect(await dev.page.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
    await check(dev.page, 'developer-api-keys');
    await dev.page.goto('/vendor/credential');
    expect(await dev.page.getByLabel('Keystore file').count()).toBe(0);
    await check(dev.page, 'developer-credential');
    await section(dev.page, 'Webhooks');
    expect(await dev.page.locator('h1').textContent()).toBe('Webhooks');
    await check(dev.page, 'developer-webhooks');
    // By POST, with a valid form token of the developer's own session: refused by the access policy.
    const csrf = await dev.page.locator('input[name=_csrf]').first().inputValue();
    const post = await dev.page.request.post('/vendor/api-keys', { form: { _csrf: csrf, name: 'Sneaky', scopes: 'usi:verify' }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    const upload = await dev.page.request.post('/vendor/credential/upload', {
      multipart: { _csrf: csrf, keystore: { name: 'keystore.xml', mimeType: 'text/xml', buffer: Buffer.from('<x/>') } },
      maxRedirects: 0,
    });
    expect(upload.status()).toBe(403);
    // By URL: the revoke confirmation page.
    const byUrl = await dev.page.goto('/vendor/api-keys/00000000-0000-4000-8000-000000000000/revoke');
    expect(byUrl?.status()).toBe(403);
    await check(dev.page, 'developer-forbidden');
    await dev.context.close();

    const organisation = await env.gw.newOrganisation(vendor.id);
    const prov = await signIn(['provider_admin'], '/provider/organisation', organisation.id);
    for (const url of ['/vendor', '/vendor/credential', '/vendor/api-keys', '/vendor/providers', '/vendor/team', '/vendor/webhooks']) {
      const res = await prov.page.goto(url);
      expect({ url, status: res?.status() }).toEqual({ url, status: 403 });
    }
    expect(await prov.page.getByRole('link', { name: 'Vendor console' }).count()).toBe(0);
    await check(prov.page, 'provider-user-forbidden');
    await prov.context.close();
  });
});
