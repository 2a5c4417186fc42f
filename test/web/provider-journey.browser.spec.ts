import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { randomAbn } from '../support/abn';
import { BrowserHarness, describeInBrowser } from '../support/browser/browser-session';
import { queryAs } from '../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

jest.setTimeout(120_000);

/**
 * Issue 15, the provider's journey in a real browser, against the simulator: sign up, confirm the email from the
 * development mailbox, set up TOTP from the key shown, register the organisation, fail the RAM step (no
 * notification), add it in the simulated RAM, pass, and see the vendor's USI call in the activity. Bad input on the
 * way; axe-core on every page (0 serious or critical); a screenshot per step in test-results/screenshots/.
 */
describeInBrowser('provider journey in a browser', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  let browser: BrowserHarness;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' });
    vendor = await env.newVendor();
    browser = await BrowserHarness.forApp(env.gw.app, 'provider');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const check = (page: Page, step: string) => browser.check(page, step);
  const path = (page: Page) => new URL(page.url()).pathname;

  /** A verified provider account without organisation, with TOTP set up, signed in in a fresh context. */
  async function signedInNewcomer() {
    const user = await env.gw.newUser({ vendorId: null, roles: [] });
    const secret = await env.gw.app.get(MfaService).enrolWithSecret(user.id);
    const { context, page } = await browser.newPage();
    await page.goto('/login?next=%2Fprovider');
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(path(page)).toBe('/provider/organisation/new');
    return { context, page, email: user.email };
  }

  async function register(page: Page, orgCode: string): Promise<void> {
    await page.getByLabel('Organisation code').fill(orgCode);
    await page.getByLabel('ABN').fill(randomAbn());
    await page.getByLabel('Legal name').fill(`College ${orgCode}`);
    await page.getByLabel('Type of organisation').selectOption('RTO');
    await page.getByLabel('Your SMS vendor').selectOption(vendor.id);
    await page.getByRole('button', { name: 'Register organisation' }).click();
  }

  it('refuses a taken email, a taken org code (offering to ask for an invitation) and a bad invitation address, at their fields', async () => {
    const admin = await signedInNewcomer();
    const orgCode = `D${randomBytes(3).toString('hex').toUpperCase()}`;
    await register(admin.page, orgCode);
    expect(path(admin.page)).toBe('/provider/ram-step');

    // The team page: a bad address is refused at its field; a good one is invited.
    await admin.page.goto('/provider/team');
    await check(admin.page, 'team');
    await admin.page.getByLabel('Their email address').fill('not an address');
    await admin.page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await admin.page.locator('#field-email-error').count()).toBe(1);
    expect(await admin.page.getByLabel('Their email address').inputValue()).toBe('not an address');
    await check(admin.page, 'team-bad-email');
    await admin.page.getByLabel('Their email address').fill(`colleague-${randomBytes(3).toString('hex')}@example.test`);
    await admin.page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await admin.page.locator('.notice').textContent()).toContain('Invitation sent');
    await admin.context.close();

    // Someone else tries the same org code under the same vendor: refused, nothing about the organisation shown.
    const other = await signedInNewcomer();
    await register(other.page, orgCode);
    expect(path(other.page)).toBe('/provider/organisation/new');
    expect(await other.page.locator('#field-orgCode-error').textContent()).toContain('Ask its administrators');
    await check(other.page, 'organisation-code-taken');
    await other.page.getByRole('button', { name: 'Ask its administrators for an invitation' }).click();
    expect(await other.page.locator('h1').textContent()).toBe('Request sent');
    const [request] = await queryAs(env.gw.db.ownerUrl, `select 1 from email_outbox where to_address = $1 and template = 'provider.invitation_request'`, [admin.email]);
    expect(request).toBeDefined();
    await other.context.close();

    // A signup with an email that has an account: refused at the field.
    const { context, page } = await browser.newPage();
    await page.goto('/signup');
    await page.getByLabel('Your name').fill('Pat Again');
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill('correct horse battery 7');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('#field-email-error').textContent()).toContain('already exists');
    await check(page, 'signup-taken-email');
    await context.close();
  });

  it('signs up, verifies, enrols TOTP, links the organisation through the simulated RAM and sees its calls', async () => {
    const { context, page } = await browser.newPage();
    const email = `pat-${randomBytes(3).toString('hex')}@example.test`;
    const password = 'correct horse battery 7';

    // 1. Sign up: a common password is refused at the field; what was typed stays (never the password).
    await page.goto('/signup');
    await check(page, 'signup');
    await page.getByLabel('Your name').fill('Pat Provider');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('password1234');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('#field-password-error').textContent()).toContain('too common');
    expect(await page.getByLabel('Email address').inputValue()).toBe(email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await check(page, 'signup-weak-password');
    await page.getByLabel('Password').fill(password);
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your email');

    // Not verified yet: signing in fails like any wrong login.
    await page.goto('/login');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(path(page)).toBe('/login');

    // 2. The confirmation email, read in the development mailbox.
    await page.goto('/dev/mailbox');
    await page.getByRole('row', { name: new RegExp(email.replace(/[.]/g, '\\.')) }).getByRole('link', { name: /Confirm your email/ }).click();
    const link = await page.locator('#email-text a').first().getAttribute('href');
    expect(link).toMatch(/^(https?:\/\/[^/]+)?\/signup\/verify\?token=/);
    await page.goto(link!);
    await check(page, 'verify-email');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    expect(await page.locator('h1').textContent()).toBe('Email address confirmed');

    // 3. Sign in and set up TOTP with codes computed from the key shown.
    await page.goto('/login');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(path(page)).toBe('/mfa/setup');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    expect(await page.locator('#recovery-codes li').count()).toBe(10);

    // 4. The organisation, reached from the menu: an invalid ABN is refused at its field, nothing stored; then the real one.
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Your organisation' }).click();
    expect(path(page)).toBe('/provider/organisation/new');
    await check(page, 'organisation-form');
    const orgCode = `B${randomBytes(3).toString('hex').toUpperCase()}`;
    await page.getByLabel('Organisation code').fill('NOT-A-CODE!');
    await page.getByLabel('ABN').fill('12345678901');
    await page.getByLabel('Legal name').fill('Browser Training College');
    await page.getByLabel('Type of organisation').selectOption('RTO');
    await page.getByLabel('Your SMS vendor').selectOption(vendor.id);
    await page.getByRole('button', { name: 'Register organisation' }).click();
    expect(await page.locator('#field-abn-error').textContent()).toContain('Not a valid ABN');
    expect(await page.locator('#field-orgCode-error').count()).toBe(1);
    expect(await page.getByLabel('Organisation code').getAttribute('aria-describedby')).toContain('field-orgCode-error');
    expect(await page.getByLabel('Organisation code').inputValue()).toBe('NOT-A-CODE!');
    expect(await page.getByLabel('Legal name').inputValue()).toBe('Browser Training College');
    expect(await page.locator('.error-summary a[href="#field-orgCode"]').count()).toBe(1);
    await check(page, 'organisation-bad-abn-and-code');
    expect(await queryAs(env.gw.db.ownerUrl, `select 1 from organisations where legal_name = 'Browser Training College'`)).toHaveLength(0);
    await page.getByLabel('Organisation code').fill(orgCode);
    await page.getByLabel('ABN').fill(randomAbn());
    await page.getByRole('button', { name: 'Register organisation' }).click();
    expect(path(page)).toBe('/provider/ram-step');

    // 5. The RAM step: the values to enter, a failing test in plain words, the simulated RAM, a passing test.
    expect(await page.getByLabel('Software provider ABN').inputValue()).toBe(vendor.abn);
    const softwareId = await page.getByLabel('Software ID').inputValue();
    expect(softwareId).toMatch(/^\d{10}$/);
    await check(page, 'ram-step');
    await page.getByRole('button', { name: 'I have added it' }).click();
    expect(await page.locator('.result--fail').textContent()).toContain('No notification found in RAM');
    await check(page, 'ram-step-no-notification');
    await page.getByRole('button', { name: 'Add this notification in the simulated RAM' }).click();
    await page.getByRole('button', { name: 'I have added it' }).click();
    expect(path(page)).toBe('/provider/organisation');
    expect(await page.locator('.status').first().textContent()).toBe('active');

    // 6. The vendor's API key now verifies a USI for this org code; the provider sees the call.
    const key = await env.newKey(vendor, ['usi:verify']);
    const verify = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${key}`)
      .send({ usi: 'BNGH7C75FN', firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' });
    expect(verify.status).toBeLessThan(500);
    await page.reload();
    const row = page.getByRole('row', { name: /VerifyUSI/ });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(String(verify.headers['x-request-id']));
    expect(await page.locator('main').textContent()).not.toContain('BNGH7C75FN');
    expect(await page.locator('figure.chart svg').count()).toBe(1);
    await check(page, 'organisation-active');

    // 7. Edited URLs: another organisation's data stays out of reach, in pages and API paths alike.
    const other = (await env.newOrganisation(vendor)).organisation;
    expect((await page.request.get(`/v1/organisations/${other.orgCode}`)).status()).toBe(404);
    expect((await page.request.get(`/v1/organisations/${orgCode}`)).status()).toBe(200);
    await context.close();

    // Signed out: sent to sign in.
    const fresh = await browser.newPage();
    await fresh.page.goto('/provider/organisation');
    expect(path(fresh.page)).toBe('/login');
    await fresh.context.close();
  });
});
