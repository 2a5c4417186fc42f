import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import { totpCode } from '@gateway/auth/mfa/totp';
import type { UserRole } from '@gateway/common/request-context/principal';
import type { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import type { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { BrowserHarness, describeInBrowser } from '../support/browser/browser-session';
import { queryAs } from '../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../gateway/usi/support/usi-gateway-env';

jest.setTimeout(120_000);

/**
 * Issue 16, the support console in a real browser against the simulator: a support user signs in with TOTP, finds
 * the test's call by its request id, reads its story (STS and USI exchanges), filters by the error code of a call the
 * simulator made fail, exports the search as CSV, verifies every chain; then a row is tampered with as the database
 * owner and the console names the broken chain's first bad event. Role walls by URL; axe-core on every page (0
 * serious or critical); screenshots test-results/screenshots/support--*.png.
 */
describeInBrowser('support console in a browser', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  let other: Vendor;
  let organisation: Organisation;
  let otherOrganisation: Organisation;
  let browser: BrowserHarness;
  const owner = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryAs<T>(env.gw.db.ownerUrl, sql, params);

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' });
    vendor = await env.newVendor();
    other = await env.newVendor();
    organisation = (await env.newOrganisation(vendor)).organisation;
    otherOrganisation = (await env.newOrganisation(other)).organisation;
    browser = await BrowserHarness.forApp(env.gw.app, 'support');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const check = (page: Page, step: string) => browser.check(page, step);
  const path = (page: Page) => new URL(page.url()).pathname;

  async function verifyCall(v: Vendor, o: Organisation): Promise<request.Response> {
    return request(env.gw.http)
      .post(`/v1/organisations/${o.orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${await env.newKey(v, ['usi:verify'])}`)
      .send({ usi: 'BNGH7C75FN', firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' });
  }

  /** Signs in through the pages with password then TOTP, landing on `next`. */
  async function signIn(vendorId: string | null, roles: UserRole[], next: string, organisationId: string | null = null) {
    const user = await env.gw.newUser({ vendorId, roles, organisationId });
    const secret = await env.gw.app.get(MfaService).enrolWithSecret(user.id);
    const { context, page } = await browser.newPage();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { context, page, user };
  }

  it('finds a call, reads its story, filters by error code, exports CSV and verifies the chains, then names a tampered row', async () => {
    const call = await verifyCall(vendor, organisation);
    expect(call.status).toBe(200);
    const requestId = String(call.headers['x-request-id']);

    const { context, page } = await signIn(vendor.id, ['support'], '/support');
    expect(path(page)).toBe('/support/audit');
    await check(page, 'audit-search');

    // 1. By request id: its rows, each linking to the story.
    await page.getByLabel('Request id').fill(requestId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const links = page.getByRole('link', { name: requestId });
    expect(await links.count()).toBeGreaterThanOrEqual(3);
    await check(page, 'search-by-request-id');

    // By USI, typed in full: posted (never in the address), matched by its fingerprint, shown masked only.
    await page.getByLabel('Find by USI').fill('BNGH7C75FN');
    await page.getByRole('button', { name: 'Search by USI' }).click();
    expect(page.url()).not.toContain('BNGH7C75FN');
    expect(await page.getByRole('link', { name: requestId }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('main').innerText()).not.toContain('BNGH7C75FN');
    expect(await page.locator('main').innerText()).toContain('BN******FN');
    await check(page, 'search-by-usi');

    // 2. The story: the inbound call, the STS token exchange and the USI exchange with their timings.
    await links.first().click();
    expect(path(page)).toBe(`/support/requests/${requestId}`);
    expect(await page.getByRole('row', { name: /STS \(token\)/ }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('row', { name: /USI Registry.*VerifyUSI/ }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('POST /v1/organisations/:orgCode/usi/verify');
    await check(page, 'request-story');

    // 3. A call the simulator makes fail: found by its error code, with the guidance in its story.
    env.sim.admin.setFaults({ operations: { VerifyUSI: { failure: 'http503' } } });
    let failed: request.Response;
    try {
      failed = await verifyCall(vendor, organisation);
    } finally {
      env.sim.admin.setFaults({});
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const errorCode = String(failed.body.code);
    const failedId = String(failed.headers['x-request-id']);
    await page.getByRole('link', { name: 'Audit search', exact: true }).click();
    await page.getByLabel('Error code').fill(errorCode);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.getByRole('link', { name: failedId }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('link', { name: requestId }).count()).toBe(0);
    await check(page, 'filter-error-code');
    await page.getByRole('link', { name: failedId }).first().click();
    expect(await page.locator('.guidance').textContent()).toContain(errorCode);
    await check(page, 'failed-request-story');
    await page.goBack();

    // 4. The export of this search: a CSV file holding its rows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export this search as CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toMatch(/^id,occurredAt,/);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv.slice(1).every((line) => line.includes(errorCode))).toBe(true);
    expect(csv.some((line) => line.includes(failedId))).toBe(true);

    // 5. Every chain intact.
    await page.getByRole('link', { name: 'Chain verification' }).click();
    await page.getByRole('button', { name: 'Verify every chain' }).click();
    expect(await page.locator('#chains-result').textContent()).toMatch(/All \d+ chains are intact/);
    expect(await page.locator('main').textContent()).not.toContain(otherOrganisation.orgCode);
    await check(page, 'chains-ok');

    // 6. One row changed behind the application's back (the trigger disabled for this test only).
    const [victim] = await owner<{ id: string }>(`select id from audit_events where chain_id = $1 and request_id = $2 order by chain_seq limit 1`, [
      `org:${organisation.id}`,
      requestId,
    ]);
    await owner(`alter table audit_events disable trigger audit_events_append_only`);
    try {
      await owner(`update audit_events set outcome = 'tampered' where id = $1`, [victim.id]);
    } finally {
      await owner(`alter table audit_events enable trigger audit_events_append_only`);
    }
    await page.getByRole('button', { name: 'Verify every chain' }).click();
    const result = await page.locator('#chains-result').textContent();
    expect(result).toContain('1 of');
    expect(result).toContain(`organisation chain ${organisation.orgCode}`);
    expect(result).toContain(`first bad event ${victim.id}`);
    expect(await page.getByRole('row', { name: new RegExp(`broken.*${victim.id}`) }).count()).toBe(1);
    await check(page, 'chains-broken');

    // Charts and the provider lookup, read only.
    await page.getByRole('link', { name: 'Charts' }).click();
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(3);
    await check(page, 'charts');
    await page.getByRole('link', { name: 'Find a provider' }).click();
    await page.getByLabel('Org code, ABN or name').fill(organisation.orgCode);
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await page.locator('main').textContent()).toContain(organisation.legalName);
    await check(page, 'provider-lookup');
    await page.getByLabel('Org code, ABN or name').fill(otherOrganisation.orgCode);
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await page.locator('main').textContent()).toContain('No provider matches');
    await context.close();
  });

  it('platform support sees every vendor and its read is in the vendor’s audit; a provider user reaches no support page', async () => {
    const call = await verifyCall(other, otherOrganisation);
    const requestId = String(call.headers['x-request-id']);
    const staff = await signIn(null, ['platform_support'], `/support/audit?requestId=${encodeURIComponent(requestId)}`);
    expect(await staff.page.getByLabel('Vendor').locator('option').count()).toBeGreaterThanOrEqual(3);
    expect(await staff.page.getByRole('link', { name: requestId }).count()).toBeGreaterThanOrEqual(1);
    await check(staff.page, 'platform-search');
    const reads = await owner<{ action: string }>(
      `select details->>'action' as action from audit_events where vendor_id = $1 and type = 'audit.read_by_platform' and actor = $2`,
      [other.id, `user:${staff.user.id}`],
    );
    expect(reads.map((r) => r.action)).toContain('audit.searched');
    await staff.context.close();

    const provider = await signIn(vendor.id, ['provider_admin'], '/provider', organisation.id);
    for (const url of ['/support', '/support/audit', `/support/requests/${requestId}`, '/support/chains', '/support/charts', '/support/providers']) {
      const res = await provider.page.goto(url);
      expect({ url, status: res?.status() }).toEqual({ url, status: 403 });
    }
    await check(provider.page, 'provider-refused');
    await provider.context.close();
  });
});
