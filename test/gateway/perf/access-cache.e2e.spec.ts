import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApp } from '@gateway/create-app';
import { CacheInvalidation } from '@gateway/common/cache/cache-invalidation.service';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { usiRoutes } from '../usi/support/usi-requests';
import { countTransactions } from './support/transaction-counter';

/** Polls `probe` until it returns true; resolves with the time it took, or rejects after `limitMs`. */
async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    if (await probe()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${limitMs} ms`);
}

/**
 * Two gateway instances (A = the test env's app, B = a second app) on one database: what one instance changes, the
 * other's caches must stop serving (LISTEN/NOTIFY), and the changing instance must not serve it even once.
 */
describe('access caches across instances', () => {
  let env: UsiTestEnv;
  let appB: NestExpressApplication;
  let httpA: App;
  let httpB: App;
  let vendor: Vendor;

  beforeAll(async () => {
    env = await createUsiTestEnv({ RATE_LIMIT_VENDOR_PER_MINUTE: '100000', RATE_LIMIT_ORG_PER_MINUTE: '100000' });
    appB = await createApp(env.gw.config);
    httpA = env.gw.http;
    httpB = appB.getHttpServer();
    vendor = await env.newVendor();
    await within(5_000, async () => appB.get(CacheInvalidation, { strict: false }).listening);
  }, 60_000);
  afterAll(async () => {
    await appB?.close();
    await env?.close();
  });

  it('serves a warm API key and organisation without reading them again', async () => {
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
    const counter = countTransactions();
    try {
      await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
      const statements = counter.finished.flatMap((t) => t.statements).join('\n');
      expect(statements).not.toMatch(/from api_keys|from organisations|authorisations/);
    } finally {
      counter.restore();
    }
  });

  it('a key revoked through instance A is refused by instance B within 1 s, and by A at once', async () => {
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.gw.newApiKey(vendor.id, { scopes: ['usi:verify'] });
    const admin = await env.newKey(vendor, ['admin', 'usi:verify']); // it revokes a usi:verify key: it must hold that scope
    await usiRoutes(httpB, organisation.orgCode, key.key).verify().expect(200);
    await usiRoutes(httpA, organisation.orgCode, key.key).verify().expect(200);
    await request(httpA).post(`/v1/api-keys/${key.id}/revoke`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect((await usiRoutes(httpA, organisation.orgCode, key.key).verify()).status).toBe(401);
    await within(1_000, async () => (await usiRoutes(httpB, organisation.orgCode, key.key).verify()).status === 401);
  });

  it('a revoked authorisation is refused at once by the instance that revoked it and within 1 s by the other', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    const admin = await env.newKey(vendor, ['admin']);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
    await usiRoutes(httpB, organisation.orgCode, key).verify().expect(200);
    await request(httpA)
      .post(`/v1/organisations/${organisation.orgCode}/authorisations/${authorisation.id}/revoke`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    env.counted();
    const onA = await usiRoutes(httpA, organisation.orgCode, key).verify();
    expect(onA.status).toBe(403);
    expect(onA.body).toMatchObject({ code: 'authorisation.not_active', authorisationStatus: 'revoked' });
    await within(1_000, async () => (await usiRoutes(httpB, organisation.orgCode, key).verify()).status === 403);
    expect(env.counted().total).toBe(0);
  });

  it('a regenerated software ID takes effect at once: the old one is never sent upstream again', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    const admin = await env.newKey(vendor, ['admin']);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
    const regenerated = await request(httpA)
      .post(`/v1/organisations/${organisation.orgCode}/authorisations/${authorisation.id}/regenerate-software-id`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(regenerated.body.softwareId).not.toBe(authorisation.softwareId);
    const res = await usiRoutes(httpA, organisation.orgCode, key).verify();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'authorisation.not_active',
      authorisationStatus: 'pending',
      guidance: { softwareId: regenerated.body.softwareId },
    });
  });

  it('changes made outside the gateway (plain SQL, e.g. the expiry sweep) reach both instances within 1 s', async () => {
    const { organisation, authorisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    await usiRoutes(httpA, organisation.orgCode, key).verify().expect(200);
    await usiRoutes(httpB, organisation.orgCode, key).verify().expect(200);
    await queryAs(env.gw.db.ownerUrl, `update authorisations set status = 'expired' where id = $1`, [authorisation.id]);
    for (const http of [httpA, httpB]) {
      await within(1_000, async () => (await usiRoutes(http, organisation.orgCode, key).verify()).status === 403);
    }
  });

  it("never serves vendor A's principal or organisation to vendor B", async () => {
    const other = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const keyA = await env.newKey(vendor, ['admin', 'usi:verify']);
    const keyB = await env.newKey(other, ['admin', 'usi:verify']);
    for (let i = 0; i < 2; i += 1) {
      const a = await request(httpA).get('/v1/vendor').set('Authorization', `Bearer ${keyA}`).expect(200);
      const b = await request(httpA).get('/v1/vendor').set('Authorization', `Bearer ${keyB}`).expect(200);
      expect([a.body.id, b.body.id]).toEqual([vendor.id, other.id]);
      await usiRoutes(httpA, organisation.orgCode, keyA).verify().expect(200);
      const cross = await usiRoutes(httpA, organisation.orgCode, keyB).verify();
      expect(cross.status).toBe(404);
      expect(cross.body.code).toBe('organisation.not_found');
    }
  });

  it('the listener reconnects after its connection is killed, and forgets what it cached while deaf', async () => {
    const invalidation = appB.get(CacheInvalidation, { strict: false });
    const resets: number[] = [];
    invalidation.subscribe((event) => event === 'reset' && resets.push(Date.now()));
    const { organisation } = await env.newOrganisation(vendor);
    const key = await env.newKey(vendor);
    await usiRoutes(httpB, organisation.orgCode, key).verify().expect(200);
    await queryAs(
      env.gw.db.ownerUrl,
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and application_name = 'usi-gateway-cache-listener'`,
    );
    // One reset when the loss is noticed, one when listening again: notifications in between were missed.
    await within(5_000, async () => resets.length >= 2 && invalidation.listening);
    const counter = countTransactions();
    try {
      await usiRoutes(httpB, organisation.orgCode, key).verify().expect(200);
      const statements = counter.finished.flatMap((t) => t.statements).join('\n');
      expect(statements).toMatch(/from api_keys/);
      expect(statements).toMatch(/from organisations/);
    } finally {
      counter.restore();
    }
  });
});
