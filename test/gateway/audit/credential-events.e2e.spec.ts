import request from 'supertest';
import { AuditService } from '@gateway/audit/audit.service';
import { ExpiryRepository } from '@gateway/expiry/expiry.repository';
import { ExpiryScheduler } from '@gateway/expiry/expiry.scheduler';
import { ExpiryService } from '@gateway/expiry/expiry.service';
import { MetricsService } from '@gateway/metrics/metrics.service';
import { GatewayTestApp } from '../../support/gateway-app';
import { PUBLIC_KEYSTORE_PATH, publicKeystore } from '../../support/public-keystores';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';

const KEYSTORE = publicKeystore();
const ALIAS = 'ABRD:11000002568_INGLETON153';
const PASSWORD = 'Password1!';

interface Event {
  type: string;
  vendor_id: string;
  organisation_id: string | null;
  actor: string | null;
  details: Record<string, unknown>;
}

describe('security events: credential lifecycle and expiries by date', () => {
  let env: UsiTestEnv;
  let gw: GatewayTestApp;
  let vendorId: string;
  let auth: { Authorization: string };
  let keyId: string;

  beforeAll(async () => {
    // A simulator that trusts the public 3PT chain: uploads of it pass their token check and become active.
    env = await createUsiTestEnv({}, { trustKeystores: [PUBLIC_KEYSTORE_PATH], population: 20 });
    gw = env.gw;
    await gw.app.get(ExpiryScheduler).onApplicationShutdown();
    vendorId = (await gw.newVendor({ abn: '11000002568' })).id;
    const key = await gw.newApiKey(vendorId);
    keyId = key.id;
    auth = { Authorization: `Bearer ${key.key}` };
  }, 60_000);
  afterAll(() => env?.close());

  const events = (types: string[]) =>
    queryAs<Event>(
      gw.db.ownerUrl,
      `select type, vendor_id, organisation_id, actor, details from audit_events where vendor_id = $1 and type = any($2)
       order by chain_id, chain_seq`,
      [vendorId, types],
    );
  const upload = () =>
    request(gw.http).post('/v1/credentials').set(auth).field('credentialId', ALIAS).field('password', PASSWORD).attach('keystore', KEYSTORE, 'k.xml');

  it('records upload, activation, rotation and revocation (once) with the acting key and certificate facts, never the password or key', async () => {
    const first = (await upload().expect(201)).body as { id: string; sha1Fingerprint: string; status: string };
    const second = (await upload().expect(201)).body as { id: string; status: string; sha1Fingerprint: string };
    expect([first.status, second.status]).toEqual(['active', 'active']);
    await request(gw.http).post(`/v1/credentials/${second.id}/revoke`).set(auth).send({ confirm: true }).expect(200);
    await request(gw.http).post(`/v1/credentials/${second.id}/revoke`).set(auth).send({ confirm: true }).expect(200);
    await upload().field('x', '1').expect(201);
    const rows = await events(['credential.uploaded', 'credential.activated', 'credential.rotated', 'credential.revoked']);
    expect(rows.map((r) => [r.type, r.details.credentialId])).toEqual([
      ['credential.uploaded', first.id],
      ['credential.activated', first.id],
      ['credential.uploaded', second.id],
      ['credential.rotated', second.id],
      ['credential.revoked', second.id],
      ['credential.uploaded', expect.any(String)],
      ['credential.activated', expect.any(String)],
    ]);
    expect(rows[0].details).toMatchObject({ status: 'pending' });
    expect(rows[3].details).toMatchObject({ supersededId: first.id, credentialAlias: ALIAS, sha1Fingerprint: second.sha1Fingerprint });
    expect(rows[4].details).toMatchObject({ previousStatus: 'active', confirmedWithoutReplacement: true });
    expect(rows.every((r) => r.actor === `api_key:${keyId}` && r.organisation_id === null)).toBe(true);
    const all = JSON.stringify(await queryAs(gw.db.ownerUrl, `select * from audit_events`));
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toMatch(/PRIVATE KEY|encryptedPrivateKey/);
  });

  it('a failed upload records nothing and stores nothing', async () => {
    const before = (await events(['credential.uploaded', 'credential.rotated'])).length;
    await request(gw.http).post('/v1/credentials').set(auth).field('credentialId', ALIAS).field('password', 'wrong').attach('keystore', KEYSTORE, 'k.xml').expect(422);
    expect(await events(['credential.uploaded', 'credential.rotated'])).toHaveLength(before);
  });

  it('records one warning per credential nearing expiry and one event per authorisation expired by date', async () => {
    const [active] = await queryAs<{ id: string; not_after: Date }>(
      gw.db.ownerUrl,
      `select id, not_after from m2m_credentials where vendor_id = $1 and status = 'active'`,
      [vendorId],
    );
    const org = await gw.newOrganisation(vendorId);
    const [auth1] = await queryAs<{ id: string }>(
      gw.db.ownerUrl,
      `insert into authorisations (vendor_id, organisation_id, software_id, start_date, end_date, status)
       values ($1, $2, '1234567890', '2020-01-01', $3, 'active') returning id`,
      [vendorId, org.id, new Date(active.not_after.getTime() - 40 * 86_400_000).toISOString().slice(0, 10)],
    );
    // Ten days before the certificate ends: within the 30-day warning window, and after the authorisation's end date.
    const now = new Date(active.not_after.getTime() - 10 * 86_400_000);
    const sweeper = new ExpiryService(gw.app.get(ExpiryRepository), gw.app.get(MetricsService), () => now, gw.app.get(AuditService));
    await sweeper.sweep();
    await sweeper.sweep();
    const warnings = await events(['credential.expiry_warning']);
    expect(warnings).toEqual([
      expect.objectContaining({
        organisation_id: null,
        actor: null,
        details: expect.objectContaining({ credentialId: active.id, daysLeft: 10, daysBefore: 30 }),
      }),
    ]);
    const expired = await events(['authorisation.expired']);
    expect(expired).toEqual([
      expect.objectContaining({ organisation_id: org.id, details: expect.objectContaining({ authorisationId: auth1.id, reason: 'end_date' }) }),
    ]);
  });
});
