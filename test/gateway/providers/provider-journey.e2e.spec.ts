import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { Principal, UserRole } from '@gateway/common/request-context/principal';
import { asVendorId } from '@gateway/database/vendor-id';
import { ProviderActivityService } from '@gateway/providers/activity/provider-activity.service';
import { ProviderOrganisationService } from '@gateway/providers/organisation/provider-organisation.service';
import { RamStepService } from '@gateway/providers/ram-step/ram-step.service';
import { ProviderSignupService } from '@gateway/providers/signup/provider-signup.service';
import { ProviderTeamService } from '@gateway/providers/team/provider-team.service';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { randomAbn } from '../../support/abn';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

/**
 * Issue 15, the provider's journey through its services, on real Postgres and the simulator: signup and email
 * verification, the organisation, the RAM step (failing, then passing after the simulated RAM), activity, team.
 */
describe('provider journey (services)', () => {
  let env: UsiTestEnv;
  let vendor: Vendor;
  let otherVendor: Vendor;
  let signup: ProviderSignupService;
  let organisations: ProviderOrganisationService;
  let ram: RamStepService;
  let owner: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

  beforeAll(async () => {
    env = await createUsiTestEnv();
    vendor = await env.newVendor();
    otherVendor = await env.newVendor();
    signup = env.gw.app.get(ProviderSignupService);
    organisations = env.gw.app.get(ProviderOrganisationService);
    ram = env.gw.app.get(RamStepService);
    owner = (sql, params = []) => queryAs(env.gw.db.ownerUrl, sql, params);
  }, 90_000);
  afterAll(() => env?.close());

  const unique = () => randomBytes(3).toString('hex');
  const link = (path: string) => (token: string) => `http://gateway.test${path}?token=${token}`;
  const password = 'correct horse battery 7';
  const form = (email: string) => ({ name: 'Pat Provider', email, password, acceptTerms: 'on' });
  const fieldsOf = async (p: Promise<unknown>) => {
    const err = (await p.then(() => undefined, (e: unknown) => e)) as { code?: string; fieldErrors?: { path: string; code: string }[] };
    return { code: err?.code, fields: (err?.fieldErrors ?? []).map((f) => f.path).sort() };
  };
  const tokenIn = async (email: string, path: string) => {
    const [row] = await owner<{ text_body: string }>(`select text_body from email_outbox where to_address = $1 order by created_at desc limit 1`, [email]);
    const match = new RegExp(`${path.replace('/', '\\/')}\\?token=([A-Za-z0-9_-]{43})`).exec(row?.text_body ?? '');
    if (!match) throw new Error(`no ${path} link emailed to ${email}`);
    return match[1];
  };
  const principalOf = async (email: string): Promise<Principal> => {
    const [u] = await owner<{ id: string; vendor_id: string | null; organisation_id: string | null; roles: UserRole[] }>(
      `select id, vendor_id, organisation_id, roles from users where email = $1`,
      [email],
    );
    return {
      kind: 'user',
      vendorId: u.vendor_id ? asVendorId(u.vendor_id) : null,
      organisationIds: u.organisation_id ? [u.organisation_id] : null,
      scopes: [],
      roles: u.roles,
      actorId: `user:${u.id}`,
    };
  };
  const verifiedProvider = async () => {
    const email = `pat-${unique()}@example.test`;
    await signup.signup(form(email), link('/signup/verify'));
    await signup.verifyEmail(await tokenIn(email, '/signup/verify'));
    return email;
  };
  const usersWith = async (email: string) => (await owner(`select 1 from users where email = $1`, [email])).length;

  it('refuses bad signups field by field and stores nothing', async () => {
    const email = `bad-${unique()}@example.test`;
    expect(await fieldsOf(signup.signup({ ...form(email), password: 'short' }, link('/signup/verify')))).toEqual({ code: 'request.validation', fields: ['password'] });
    expect(await fieldsOf(signup.signup({ ...form(email), password: 'password1234' }, link('/signup/verify')))).toEqual({ code: 'request.validation', fields: ['password'] });
    expect(await fieldsOf(signup.signup({ name: '', email: 'nope', password, acceptTerms: undefined }, link('/signup/verify')))).toEqual({
      code: 'request.validation',
      fields: ['acceptTerms', 'email', 'name'],
    });
    expect(await usersWith(email)).toBe(0);
    expect(await owner(`select 1 from email_outbox where to_address = $1`, [email])).toHaveLength(0);
  });

  it('keeps an unverified account out, verifies it once with the emailed link, and refuses a taken email', async () => {
    const email = `new-${unique()}@example.test`;
    // Signing up again before verifying replaces the unverified account (one row) and sends a new link.
    await signup.signup({ ...form(email), name: 'First Try' }, link('/signup/verify'));
    await signup.signup(form(email), link('/signup/verify'));
    expect(await owner(`select name from users where lower(email) = lower($1)`, [email])).toEqual([{ name: 'Pat Provider' }]);
    expect(await owner(`select 1 from email_outbox where to_address = $1`, [email])).toHaveLength(2);
    await request(env.gw.http).post('/v1/auth/login').send({ email, password }).expect(401);
    const token = await tokenIn(email, '/signup/verify');
    await signup.verifyEmail(token);
    await expect(signup.verifyEmail(token)).rejects.toMatchObject({ code: 'provider.link_invalid' });
    await request(env.gw.http).post('/v1/auth/login').send({ email, password }).expect(200);
    expect(await fieldsOf(signup.signup(form(email.toUpperCase()), link('/signup/verify')))).toEqual({ code: 'request.validation', fields: ['email'] });
  });

  it('registers an organisation with a generated software ID; a bad or taken org code stores nothing and reveals nothing', async () => {
    const email = await verifiedProvider();
    const p = await principalOf(email);
    const orgCode = `P${unique().toUpperCase()}`;
    const good = { orgCode, abn: randomAbn(), legalName: 'Pat Training Pty Ltd', kind: 'RTO', vendorId: vendor.id };

    expect(await fieldsOf(organisations.register(p, { ...good, abn: '12345678901', orgCode: 'TOO-LONG-CODE' }))).toEqual({
      code: 'request.validation',
      fields: ['abn', 'orgCode'],
    });
    const registered = await organisations.register(p, good);
    expect(registered.softwareId).toMatch(/^\d{10}$/);
    const admin = await principalOf(email);
    expect(admin).toMatchObject({ vendorId: vendor.id, roles: ['provider_admin'], organisationIds: [registered.organisationId] });
    const [auth] = await owner<{ status: string; start_date: string }>(
      `select status, start_date::text from authorisations where organisation_id = $1`,
      [registered.organisationId],
    );
    expect(auth).toEqual({ status: 'pending', start_date: new Date().toISOString().slice(0, 10) });

    // Another provider, the same code under the same vendor: refused on the field, nothing stored, no detail leaked.
    const other = await principalOf(await verifiedProvider());
    const taken = await organisations.register(other, { ...good, abn: randomAbn(), legalName: 'Someone Else' }).catch((e: { fieldErrors: { path: string; code: string; message: string }[] }) => e);
    expect((taken as { fieldErrors: unknown[] }).fieldErrors).toEqual([
      { path: 'orgCode', code: 'org_code_taken', message: expect.stringContaining('Ask its administrators') },
    ]);
    expect(JSON.stringify(taken)).not.toContain(good.abn);
    expect(await owner(`select 1 from organisations where lower(org_code) = lower($1)`, [orgCode])).toHaveLength(1);
    expect(await owner(`select vendor_id, roles from users where id = $1`, [other.actorId.slice('user:'.length)])).toEqual([{ vendor_id: null, roles: [] }]);

    // Asking for an invitation emails the organisation's admins, and answers the same for an unknown code.
    await organisations.requestInvitation(other, { vendorId: vendor.id, orgCode });
    await organisations.requestInvitation(other, { vendorId: vendor.id, orgCode: 'NOSUCH1' });
    expect(await owner(`select 1 from email_outbox where to_address = $1 and template = 'provider.invitation_request'`, [email])).toHaveLength(1);

    // The same code under another vendor is a separate record.
    await expect(organisations.register(other, { ...good, vendorId: otherVendor.id })).resolves.toMatchObject({ vendorId: otherVendor.id });
  });

  it('runs the RAM step: no notification, then the simulated RAM, then active; the vendor’s calls show in the activity', async () => {
    const email = await verifiedProvider();
    const orgCode = `R${unique().toUpperCase()}`;
    await organisations.register(await principalOf(email), { orgCode, abn: randomAbn(), legalName: 'Ram Step College', kind: 'RTO', vendorId: vendor.id });
    const admin = await principalOf(email);

    const before = await ram.view(admin);
    expect(before).toMatchObject({ vendor: { abn: vendor.abn, name: vendor.name }, authorisation: { status: 'pending' }, simulatedRamOffered: true, attempts: [] });
    expect(before.steps.join(' ')).toContain(before.authorisation!.softwareId);

    // Activation by hand is refused while no test passed.
    const res = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/authorisations/${before.authorisation!.id}/activate`)
      .set('Authorization', `Bearer ${await env.newKey(vendor, ['admin'])}`)
      .send({});
    expect([res.status, res.body.code]).toEqual([409, 'authorisation.untested']);

    // The simulated registry does not know the organisation yet, so the STS refusal (no notification) comes first.
    expect(await ram.test(admin)).toMatchObject({ ok: false, status: 'pending', reason: { key: 'no_notification', title: 'No notification found in RAM' } });
    await ram.addInSimulatedRam(admin);
    expect(await ram.test(admin)).toMatchObject({ ok: true, status: 'active', reason: null });
    const after = await ram.view(admin);
    expect(after.authorisation?.status).toBe('active');
    expect(after.attempts.map((a) => [a.ok, a.reason?.key ?? null])).toEqual([[true, null], [false, 'no_notification']]);

    // The vendor's key now verifies a USI for this org code, and the provider sees the call (masked USI only).
    const key = await env.newKey(vendor, ['usi:verify']);
    const verify = await request(env.gw.http)
      .post(`/v1/organisations/${orgCode}/usi/verify`)
      .set('Authorization', `Bearer ${key}`)
      .send({ usi: 'BNGH7C75FN', firstName: 'Nobody', familyName: 'Atall', dateOfBirth: '1990-01-01' });
    expect(verify.status).toBeLessThan(500);
    const activity = await env.gw.app.get(ProviderActivityService).activity(admin);
    expect(activity.days).toHaveLength(30);
    expect(activity.totals.calls).toBe(1);
    expect(activity.recent).toEqual([
      expect.objectContaining({ operation: 'VerifyUSI', requestId: verify.headers['x-request-id'], usiMasked: expect.not.stringContaining('BNGH7C75FN') }),
    ]);

    // Regenerating breaks the link until the new ID is in RAM; the next failure names the changed software ID.
    await expect(ram.change(admin, 'regenerate', {})).rejects.toMatchObject({ code: 'provider.confirmation_required' });
    await ram.change(admin, 'regenerate', { confirm: 'yes' });
    expect(await ram.test(admin)).toMatchObject({ ok: false, reason: { key: 'software_id_mismatch' } });
    await ram.change(admin, 'revoke', { confirm: 'yes' });
    expect((await ram.view(admin)).authorisation?.status).toBe('revoked');
  });

  it("lets a provider admin session read its own organisation, its authorisations and tests, never another's", async () => {
    const email = await verifiedProvider();
    const orgCode = `S${unique().toUpperCase()}`;
    await organisations.register(await principalOf(email), { orgCode, abn: randomAbn(), legalName: 'Session College', kind: 'RTO', vendorId: vendor.id });
    const other = (await env.newOrganisation(vendor)).organisation;
    const session = await env.gw.session(email, password);
    const get = (path: string) => request(env.gw.http).get(path).set(session);

    await get(`/v1/organisations/${orgCode}`).expect(200);
    const list = await get(`/v1/organisations/${orgCode}/authorisations`).expect(200);
    const authId = list.body.items[0].id as string;
    await get(`/v1/organisations/${orgCode}/authorisations/${authId}/connection-tests`).expect(200);
    await request(env.gw.http).post(`/v1/organisations/${orgCode}/connection-test`).set(session).expect(200);

    for (const path of [`/v1/organisations/${other.orgCode}`, `/v1/organisations/${other.orgCode}/authorisations`]) {
      expect((await get(path)).status).toBe(404);
    }
    expect((await request(env.gw.http).post(`/v1/organisations/${other.orgCode}/connection-test`).set(session)).status).toBe(404);
    // Its own authorisation id under another organisation's code, and a write it may not make.
    expect((await get(`/v1/organisations/${other.orgCode}/authorisations/${authId}/connection-tests`)).status).toBe(404);
    expect((await request(env.gw.http).post(`/v1/organisations/${orgCode}/authorisations/${authId}/activate`).set(session).send({})).status).toBe(403);
  });

  it('forces an activation only with a reason, and audits it', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendor, { status: 'pending' });
    const key = await env.newKey(vendor, ['admin']);
    const activate = (body: object) =>
      request(env.gw.http).post(`/v1/organisations/${organisation.orgCode}/authorisations/${authorisation.id}/activate`).set('Authorization', `Bearer ${key}`).send(body);
    expect((await activate({ force: true })).body.code).toBe('request.validation');
    expect((await activate({ force: true, reason: 'Registry outage; RAM screenshot seen' })).body.status).toBe('active');
    const [event] = await owner<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'authorisation.activate' and organisation_id = $1`,
      [organisation.id],
    );
    expect(event.details).toMatchObject({ forced: true, reason: 'Registry outage; RAM screenshot seen', from: 'pending', to: 'active' });
  });

  it('invites a colleague by email with a single-use link, and removes them', async () => {
    const email = await verifiedProvider();
    await organisations.register(await principalOf(email), { orgCode: `T${unique().toUpperCase()}`, abn: randomAbn(), legalName: 'Team College', kind: 'RTO', vendorId: vendor.id });
    const admin = await principalOf(email);
    const team = env.gw.app.get(ProviderTeamService);
    const colleague = `colleague-${unique()}@example.test`;
    await team.invite(admin, { email: colleague, role: 'provider_viewer' }, link('/team/accept'));
    const token = await tokenIn(colleague, '/team/accept');
    expect(await fieldsOf(team.accept(token, { name: 'Col', password: 'short' }))).toEqual({ code: 'request.validation', fields: ['password'] });
    const joined = await team.accept(token, { name: 'Col League', password });
    await expect(team.accept(token, { name: 'Col League', password })).rejects.toMatchObject({ code: 'provider.link_invalid' });
    expect((await principalOf(colleague)).roles).toEqual(['provider_viewer']);
    const viewer = await principalOf(colleague);
    await expect(team.invite(viewer, { email: `x-${unique()}@example.test`, role: 'provider_admin' }, link('/team/accept'))).rejects.toMatchObject({ code: 'auth.forbidden_scope' });
    expect((await team.members(admin)).map((m) => m.email).sort()).toEqual([colleague, email].sort());
    await team.remove(admin, joined.userId);
    await expect(team.remove(admin, joined.userId)).rejects.toMatchObject({ code: 'provider.member_not_found' });
    expect(await usersWith(colleague)).toBe(0);
  });
});
