import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

/**
 * The client address feeds the per-address limits (failed authentication, logins) and the audit trail, so only a
 * proxy named in TRUST_PROXY may state it in X-Forwarded-For. The default trusts nobody, loopback included: a local
 * process must not be able to pick its address.
 */
describe('TRUST_PROXY and the client address', () => {
  const clientIpOf = async (gw: GatewayTestApp, requestId: string): Promise<unknown> => {
    const [row] = await queryAs<{ ip: unknown }>(
      gw.db.ownerUrl,
      `select details->'clientIp' as ip from audit_events where category = 'inbound' and request_id = $1`,
      [requestId],
    );
    return row?.ip;
  };

  const callWithForwardedFor = async (gw: GatewayTestApp, forwardedFor: string): Promise<unknown> => {
    const vendor = await gw.newVendor();
    const { key } = await gw.newApiKey(vendor.id);
    const requestId = `xff-${Math.random().toString(36).slice(2)}`;
    await request(gw.http).get('/v1/vendor').set('Authorization', `Bearer ${key}`).set('X-Forwarded-For', forwardedFor).set('X-Request-Id', requestId).expect(200);
    return clientIpOf(gw, requestId);
  };

  describe('by default', () => {
    let gw: GatewayTestApp;
    beforeAll(async () => (gw = await createGatewayApp()), 60_000);
    afterAll(() => gw?.close());

    it('ignores X-Forwarded-For from a loopback caller and records the socket address', async () => {
      const ip = await callWithForwardedFor(gw, '203.0.113.9');
      expect(ip).not.toBe('203.0.113.9');
      expect(String(ip)).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    });

    it('keeps a caller that writes a new X-Forwarded-For on every request under one failed-authentication budget', async () => {
      const codes: string[] = [];
      for (let i = 0; i < 40 && !codes.includes('auth.too_many_failures'); i++) {
        const res = await request(gw.http).get('/v1/vendor').set('Authorization', 'Bearer usi_nope').set('X-Forwarded-For', `203.0.113.${i + 1}`);
        codes.push(res.body.code);
      }
      expect(codes.filter((c) => c === 'auth.invalid_api_key').length).toBeGreaterThanOrEqual(30);
      expect(codes[codes.length - 1]).toBe('auth.too_many_failures');
    });
  });

  describe('with TRUST_PROXY=loopback (a proxy on the same host)', () => {
    let gw: GatewayTestApp;
    beforeAll(async () => (gw = await createGatewayApp({ env: { TRUST_PROXY: 'loopback' } })), 60_000);
    afterAll(() => gw?.close());

    it('takes the client address the proxy forwards', async () => {
      expect(await callWithForwardedFor(gw, '203.0.113.9')).toBe('203.0.113.9');
    });

    it('takes only the address the trusted proxy appended, not one the client wrote before it', async () => {
      expect(await callWithForwardedFor(gw, '198.51.100.1, 203.0.113.10')).toBe('203.0.113.10');
    });
  });
});
