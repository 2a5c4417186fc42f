import type { AddressInfo } from 'node:net';
import { MfaService } from '@gateway/auth/mfa/mfa.service';
import type { UserRole } from '@gateway/common/request-context/principal';
import { createGatewayApp, GatewayTestApp } from '../gateway-app';

export interface WebTestUser {
  email: string;
  password: string;
  /** Base32, as the demo prints it; null for a user who has not set up two-step sign-in yet. */
  totpSecret: string | null;
}

export interface WebGateway {
  gw: GatewayTestApp;
  baseUrl: string;
  /** A provider admin like the demo's, optionally already enrolled in TOTP. */
  newUser(options?: { enrolled?: boolean; roles?: UserRole[] }): Promise<WebTestUser>;
  close(): Promise<void>;
}

/** A gateway on its own database, listening on a free loopback port, for a browser to visit. */
export async function startWebGateway(): Promise<WebGateway> {
  const gw = await createGatewayApp({ env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000' } });
  await gw.app.listen(0, '127.0.0.1');
  const { port } = gw.app.getHttpServer().address() as AddressInfo;
  const vendor = await gw.newVendor();
  const organisation = await gw.newOrganisation(vendor.id);
  return {
    gw,
    baseUrl: `http://127.0.0.1:${port}`,
    newUser: async ({ enrolled = true, roles = ['provider_admin'] as UserRole[] } = {}) => {
      const user = await gw.newUser({ vendorId: vendor.id, organisationId: roles.includes('provider_admin') ? organisation.id : null, roles });
      const totpSecret = enrolled ? await gw.app.get(MfaService).enrolWithSecret(user.id) : null;
      return { email: user.email, password: user.password, totpSecret };
    },
    close: () => gw.close(),
  };
}
