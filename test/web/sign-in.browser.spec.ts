import type { Page } from 'playwright-core';
import { totpCode } from '@gateway/auth/mfa/totp';
import { BrowserHarness, describeInBrowser } from '../support/browser/browser-session';
import { queryAs } from '../support/test-database';
import { startWebGateway, WebGateway, WebTestUser } from '../support/browser/web-gateway';

jest.setTimeout(90_000);

/**
 * Issue 15, the web foundation in a real browser (Debian's chromium through playwright-core): sign-in with password
 * and TOTP, enrolment, redirects, form CSRF, CSP, the development mailbox's reset link, and axe-core on every page.
 */
describeInBrowser('web sign-in in a browser', () => {
  let web: WebGateway;
  let browser: BrowserHarness;

  beforeAll(async () => {
    web = await startWebGateway();
    browser = new BrowserHarness(web.baseUrl, 'sign-in');
    await browser.start();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** Every page a test visits is checked with axe: no serious or critical violation. */
  async function check(page: Page, step: string): Promise<void> {
    const { violations } = await browser.step(page, step);
    expect({ step, violations }).toEqual({ step, violations: [] });
  }

  async function signInWithPassword(page: Page, user: WebTestUser, password = user.password): Promise<void> {
    await page.goto('/login');
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('shows the landing page with its strict CSP (no unsafe-inline) and no accessibility problems', async () => {
    const { context, page } = await browser.newPage();
    const response = await page.goto('/');
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    await expect(page.getByRole('link', { name: /Sign up/ }).first().getAttribute('href')).resolves.toBe('/signup');
    await expect(page.getByRole('link', { name: 'API documentation' }).getAttribute('href')).resolves.toBe('/docs');
    await check(page, 'landing');
    await context.close();
  });

  it('sends a signed-out visitor to the sign-in page, and back after signing in with password and TOTP', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account');
    await check(page, 'login');

    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(new URL(page.url()).pathname).toBe('/login/mfa');
    await check(page, 'mfa-challenge');
    // Until the second step, the session opens no page with data and no API route.
    expect((await page.request.get('/v1/auth/me')).status()).toBe(401);

    await page.getByLabel('Security code').fill(totpCode(user.totpSecret!));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await page.locator('h1').textContent()).toBe('Your account');
    expect(await page.locator('main').textContent()).toContain(user.email);
    await check(page, 'account');

    await page.getByRole('button', { name: /Sign out/ }).first().click();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('refuses a wrong TOTP code with the message at the field, and a wrong password without saying which was wrong', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await signInWithPassword(page, user, 'not the password at all');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByLabel('Email address').inputValue()).toBe(user.email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.locator('#field-password-error').textContent()).toContain('email address or password is not right');
    await check(page, 'login-wrong-password');

    await signInWithPassword(page, user);
    const wrong = String((Number(totpCode(user.totpSecret!)) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Security code').fill(wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/login/mfa');
    const input = page.getByLabel('Security code');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain('field-code-error');
    expect(await page.locator('#field-code-error').textContent()).toContain('That code is not valid');
    expect(await page.locator('.error-summary a[href="#field-code"]').count()).toBe(1);
    await check(page, 'mfa-wrong-code');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login/mfa');
    await context.close();
  });

  it('makes a user without a second factor set one up (QR code and key) before any page with data', async () => {
    const user = await web.newUser({ enrolled: false });
    const { context, page } = await browser.newPage();
    await signInWithPassword(page, user);
    expect(new URL(page.url()).pathname).toBe('/mfa/setup');
    expect(await page.locator('.qr svg').count()).toBe(1);
    await check(page, 'mfa-setup');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/mfa/setup');

    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    await check(page, 'recovery-codes');
    // No page asked for the sign-in: a provider user lands on the provider pages.
    await page.getByRole('link', { name: 'Continue' }).click();
    expect(new URL(page.url()).pathname).toBe('/provider/organisation');
    await context.close();
  });

  it('refuses a form posted without its CSRF token', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await page.goto('/login');
    await page.evaluate(() => document.querySelectorAll('input[name="_csrf"]').forEach((e) => e.remove()));
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Continue' }).click()]);
    expect(response.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Form expired');
    await check(page, 'csrf-refused');
    // Nothing was signed in.
    expect((await context.cookies()).some((c) => c.name === 'usi_session')).toBe(false);
    await context.close();
  });

  it('emails a password reset link, readable at /dev/mailbox, that works once', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await check(page, 'password-forgot');
    await page.getByLabel('Email address').fill(user.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your email');

    await page.goto('/dev/mailbox');
    await check(page, 'mailbox');
    await page.getByRole('row', { name: new RegExp(user.email.replace(/[.]/g, '\\.')) }).getByRole('link', { name: 'Reset your USI Gateway password' }).click();
    await check(page, 'mailbox-reset-email');
    const link = await page.locator('#email-text a').first().getAttribute('href');
    expect(link).toMatch(/\/password\/reset\?token=/);

    await page.goto(link!);
    await check(page, 'password-reset');
    const newPassword = 'a brand new long passphrase';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await page.getByRole('button', { name: 'Change the password' }).click();
    expect(await page.locator('.notice').textContent()).toContain('Your password has been changed');

    await page.goto(link!);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    await check(page, 'password-reset-used');

    await signInWithPassword(page, user, newPassword);
    expect(new URL(page.url()).pathname).toBe('/login/mfa');
    await context.close();
  });

  it('refuses a weak new password at its field, and a reset link older than 30 minutes, changing nothing', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await page.goto('/password/forgot');
    await page.getByLabel('Email address').fill(user.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const [row] = await queryAs<{ text_body: string; minutes: number }>(
      web.gw.db.ownerUrl,
      `select o.text_body, extract(epoch from u.password_reset_expires_at - o.created_at) / 60 as minutes
         from email_outbox o join users u on u.email = o.to_address
        where o.to_address = $1 and o.template = 'auth.password_reset'`,
      [user.email],
    );
    // The link lasts 30 minutes, no more.
    expect(Number(row.minutes)).toBeGreaterThan(29);
    expect(Number(row.minutes)).toBeLessThanOrEqual(30.1);
    const link = /https?:\/\/\S+\/password\/reset\?token=\S+/.exec(row.text_body)![0];

    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('New password again').fill('password1234');
    await page.getByRole('button', { name: 'Change the password' }).click();
    expect(await page.locator('#field-password-error').textContent()).toContain('too common');
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('.error-summary a[href="#field-password"]').count()).toBe(1);
    await check(page, 'password-reset-weak');

    // Half an hour later (the link's expiry moved back), the same form is refused as expired.
    await queryAs(web.gw.db.ownerUrl, `update users set password_reset_expires_at = now() - interval '1 second' where email = $1`, [user.email]);
    const newPassword = 'a long enough new passphrase';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await page.getByRole('button', { name: 'Change the password' }).click();
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    await expect(page.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).resolves.toBe('/password/forgot');
    await check(page, 'password-reset-expired');
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');

    // Nothing changed: the old password still signs in, the new one does not.
    await signInWithPassword(page, user, newPassword);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signInWithPassword(page, user);
    expect(new URL(page.url()).pathname).toBe('/login/mfa');
    await context.close();
  });

  it('signs in with the keyboard alone, every focused control visibly marked', async () => {
    const user = await web.newUser();
    const { context, page } = await browser.newPage();
    await page.goto('/login');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { id: el.id, text: el.textContent?.trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    /** Tabs until the control with `id` has the focus; every control on the way shows a focus ring. */
    const tabTo = async (id: string) => {
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect({ focused: f.id || f.text, outline: f.outline }).toEqual({ focused: f.id || f.text, outline: 'solid 3px' });
        if (f.id === id) return;
      }
      throw new Error(`${id} never got the focus`);
    };
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ text: 'Skip to main content' });
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main');
    await tabTo('field-email');
    await page.keyboard.type(user.email);
    await tabTo('field-password');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login\/mfa/);
    await tabTo('field-code');
    await page.keyboard.type(totpCode(user.totpSecret!));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/provider\/organisation$/);
    expect(await page.locator('h1').count()).toBe(1);
    await context.close();
  });
});
