import request from 'supertest';
import { DataSource } from 'typeorm';
import { createGatewayApp, GatewayTestApp, SessionHeaders } from '../support/gateway-app';

const TENANT_TABLES = ['vendors', 'organisations', 'authorisations', 'api_keys', 'users', 'sessions'];

interface Tenant {
  vendorId: string;
  key: string;
  keyId: string;
  orgCode: string;
  authorisationId: string;
  session: SessionHeaders;
}

describe('tenant isolation', () => {
  let gw: GatewayTestApp;
  let a: Tenant;
  let b: Tenant;

  async function tenant(): Promise<Tenant> {
    const vendorId = (await gw.newVendor()).id;
    const key = await gw.newApiKey(vendorId);
    const org = await gw.newOrganisation(vendorId);
    const auth = await request(gw.http)
      .post(`/v1/organisations/${org.orgCode}/authorisations`)
      .set('X-API-Key', key.key)
      .send({ startDate: '2026-01-01' })
      .expect(201);
    const user = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    return {
      vendorId,
      key: key.key,
      keyId: key.id,
      orgCode: org.orgCode,
      authorisationId: auth.body.id,
      session: await gw.session(user.email, user.password),
    };
  }

  beforeAll(async () => {
    gw = await createGatewayApp();
    a = await tenant();
    b = await tenant();
  });
  afterAll(() => gw?.close());

  describe.each([
    ['API key', (t: Tenant): Record<string, string> => ({ 'X-API-Key': t.key })],
    ['vendor admin session', (t: Tenant): Record<string, string> => t.session],
  ])("vendor A's %s against vendor B's rows", (_, credential) => {
    const as = (req: request.Test) => req.set(credential(a));

    it.each([
      ['GET', () => `/v1/organisations/${b.orgCode}`, 'organisation.not_found'],
      ['PATCH', () => `/v1/organisations/${b.orgCode}`, 'organisation.not_found'],
      ['DELETE', () => `/v1/organisations/${b.orgCode}`, 'organisation.not_found'],
      ['GET', () => `/v1/organisations/${b.orgCode}/authorisations`, 'organisation.not_found'],
      ['POST', () => `/v1/organisations/${b.orgCode}/authorisations`, 'organisation.not_found'],
      ['POST', () => `/v1/organisations/${b.orgCode}/authorisations/${b.authorisationId}/revoke`, 'organisation.not_found'],
      ['POST', () => `/v1/organisations/${a.orgCode}/authorisations/${b.authorisationId}/revoke`, 'authorisation.not_found'],
      ['POST', () => `/v1/organisations/${a.orgCode}/authorisations/${b.authorisationId}/activate`, 'authorisation.not_found'],
      [
        'POST',
        () => `/v1/organisations/${a.orgCode}/authorisations/${b.authorisationId}/regenerate-software-id`,
        'authorisation.not_found',
      ],
      ['POST', () => `/v1/api-keys/${b.keyId}/revoke`, 'api_key.not_found'],
    ])('%s %s → 404 %s', async (method, path, expected) => {
      const body = method === 'PATCH' ? { legalName: 'hijacked' } : method === 'POST' ? { startDate: '2026-01-01' } : undefined;
      const res = await as(request(gw.http)[method.toLowerCase() as 'get'](path())).send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: expected });
    });

    it('lists only its own organisations, API keys and authorisations', async () => {
      const orgs = await as(request(gw.http).get('/v1/organisations')).expect(200);
      expect(orgs.body.items.map((o: { orgCode: string }) => o.orgCode)).toEqual([a.orgCode]);
      const keys = await as(request(gw.http).get('/v1/api-keys')).expect(200);
      expect(keys.body.items.map((k: { id: string }) => k.id)).toEqual([a.keyId]);
      const vendor = await as(request(gw.http).get('/v1/vendor')).expect(200);
      expect(vendor.body.id).toBe(a.vendorId);
    });
  });

  it("left B's rows untouched", async () => {
    const org = await request(gw.http).get(`/v1/organisations/${b.orgCode}`).set('X-API-Key', b.key).expect(200);
    expect(org.body.legalName).not.toBe('hijacked');
    const auths = await request(gw.http).get(`/v1/organisations/${b.orgCode}/authorisations`).set('X-API-Key', b.key).expect(200);
    expect(auths.body.items).toEqual([expect.objectContaining({ id: b.authorisationId, status: 'pending' })]);
    await request(gw.http).get('/v1/vendor').set('X-API-Key', b.key).expect(200);
  });

  describe('row-level security, bypassing the application code', () => {
    let appRole: DataSource;
    beforeAll(async () => {
      appRole = await new DataSource({ type: 'postgres', url: gw.db.appUrl, extra: { max: 1 } }).initialize();
    });
    afterAll(() => appRole?.destroy());

    it('connects as a role that is neither superuser nor BYPASSRLS', async () => {
      const [role] = await appRole.query(`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`);
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    });

    it.each(TENANT_TABLES)('%s: zero rows with the tenant unset', async (table) => {
      const [{ n }] = await appRole.query(`select count(*)::int as n from ${table}`);
      expect(n).toBe(0);
    });

    it.each(TENANT_TABLES)("%s: with the tenant set to A, only A's rows", async (table) => {
      const column = table === 'vendors' ? 'id' : 'vendor_id';
      const rows: { v: string }[] = await appRole.transaction(async (m) => {
        await m.query(`select set_config('app.vendor_id', $1, true)`, [a.vendorId]);
        return m.query(`select distinct ${column}::text as v from ${table}`);
      });
      expect(rows.map((r) => r.v)).toEqual([a.vendorId]);
    });

    it("refuses to write a row for B while the tenant is A", async () => {
      await expect(
        appRole.transaction(async (m) => {
          await m.query(`select set_config('app.vendor_id', $1, true)`, [a.vendorId]);
          await m.query(
            `insert into organisations (vendor_id, org_code, abn, legal_name, kind) values ($1, 'SNEAK1', '51824753556', 'x', 'RTO')`,
            [b.vendorId],
          );
        }),
      ).rejects.toThrow(/row-level security/);
      const [, updated] = await appRole.transaction(async (m) => {
        await m.query(`select set_config('app.vendor_id', $1, true)`, [a.vendorId]);
        return m.query(`update organisations set legal_name = 'x' where vendor_id = $1`, [b.vendorId]);
      });
      expect(updated).toBe(0);
    });

    it('does not leak the tenant setting to the next transaction on the same connection', async () => {
      await appRole.transaction((m) => m.query(`select set_config('app.vendor_id', $1, true)`, [a.vendorId]));
      const [{ n }] = await appRole.query(`select count(*)::int as n from organisations`);
      expect(n).toBe(0);
    });
  });
});
