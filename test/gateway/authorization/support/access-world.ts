import { randomBytes } from 'node:crypto';
import { AuditService } from '@gateway/audit/audit.service';
import { ApiScope, UserRole } from '@gateway/common/request-context/principal';
import { asVendorId } from '@gateway/database/vendor-id';
import { AuthorisationRepository } from '@gateway/tenancy/authorisations/authorisation.repository';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { auditEventInput } from '../../../support/audit-event';
import { GatewayTestApp } from '../../../support/gateway-app';

/** Every kind of caller: API keys of vendor A, each user role, and nobody. */
export const PRINCIPALS = [
  'anonymous',
  'adminKey',
  'restrictedAdminKey',
  'verifyKey',
  'writeKey',
  'auditKey',
  'vendorAdmin',
  'providerAdmin',
  'providerUser',
  'support',
  'platformSupport',
  'platformAdmin',
] as const;
export type Who = (typeof PRINCIPALS)[number];

type KeySpec = { scopes: ApiScope[]; restricted?: true };
type UserSpec = { role: UserRole; vendor: 'A' | null; organisation?: true };

/** Keys and users belong to vendor A; the restricted key and the provider users to its organisation A1. */
const SPECS: Record<Exclude<Who, 'anonymous'>, KeySpec | UserSpec> = {
  adminKey: { scopes: ['admin'] },
  restrictedAdminKey: { scopes: ['admin'], restricted: true },
  verifyKey: { scopes: ['usi:verify'] },
  writeKey: { scopes: ['usi:write'] },
  auditKey: { scopes: ['audit:read'] },
  vendorAdmin: { role: 'vendor_admin', vendor: 'A' },
  providerAdmin: { role: 'provider_admin', vendor: 'A', organisation: true },
  providerUser: { role: 'provider_viewer', vendor: 'A', organisation: true },
  support: { role: 'support', vendor: 'A' },
  platformSupport: { role: 'platform_support', vendor: null },
  platformAdmin: { role: 'platform_admin', vendor: null },
};

export const isUser = (who: Who): boolean => who !== 'anonymous' && 'role' in SPECS[who];

/**
 * Vendor A with A1 (the restricted key's and the provider users' organisation), A2 (outside that restriction) and
 * A3 (no authorisation: USI routes stop there with 403 authorisation.not_active before any upstream call);
 * vendor B with B1. One audit request on A1 and one on B1.
 */
export interface AccessWorld {
  gw: GatewayTestApp;
  vendorA: string;
  vendorB: string;
  a1: Organisation;
  a2: Organisation;
  a3: Organisation;
  b1: Organisation;
  requestA1: string;
  requestB1: string;
  headers: Record<Who, Record<string, string>>;
  /** A session of the same kind as `who`'s, for routes that end it (logout); otherwise `who`'s own headers. */
  freshHeaders(who: Who): Promise<Record<string, string>>;
  newOrganisation(): Promise<Organisation>;
  /** A pending authorisation on A1. */
  newAuthorisation(): Promise<string>;
  newKey(scopes: ApiScope[], organisationIds: string[] | null): Promise<string>;
}

export async function buildAccessWorld(gw: GatewayTestApp): Promise<AccessWorld> {
  const vendorA = (await gw.newVendor()).id;
  const vendorB = (await gw.newVendor()).id;
  const [a1, a2, a3, b1] = await Promise.all([
    gw.newOrganisation(vendorA),
    gw.newOrganisation(vendorA),
    gw.newOrganisation(vendorA),
    gw.newOrganisation(vendorB),
  ]);
  const audit = gw.app.get(AuditService);
  const requestA1 = `req-matrix-a1-${randomBytes(4).toString('hex')}`;
  const requestB1 = `req-matrix-b1-${randomBytes(4).toString('hex')}`;
  for (const [vendorId, org, requestId] of [[vendorA, a1, requestA1], [vendorB, b1, requestB1]] as const) {
    await audit.append(
      auditEventInput({ category: 'security', type: 'test.matrix', vendorId: asVendorId(vendorId), organisationId: org.id, requestId }),
    );
  }

  const login = async (spec: UserSpec) => {
    const user = await gw.newUser({
      vendorId: spec.vendor === 'A' ? vendorA : null,
      roles: [spec.role],
      organisationId: spec.organisation ? a1.id : null,
    });
    return gw.session(user.email, user.password);
  };
  const headers = { anonymous: {} } as Record<Who, Record<string, string>>;
  for (const who of PRINCIPALS) {
    if (who === 'anonymous') continue;
    const spec = SPECS[who];
    headers[who] =
      'role' in spec
        ? await login(spec)
        : {
            Authorization: `Bearer ${(await gw.newApiKey(vendorA, { scopes: spec.scopes, organisationIds: spec.restricted ? [a1.id] : null })).key}`,
          };
  }

  return {
    gw,
    vendorA,
    vendorB,
    a1,
    a2,
    a3,
    b1,
    requestA1,
    requestB1,
    headers,
    freshHeaders: async (who) => {
      const spec = who === 'anonymous' ? undefined : SPECS[who];
      return spec && 'role' in spec ? login(spec) : headers[who];
    },
    newOrganisation: () => gw.newOrganisation(vendorA),
    newAuthorisation: async () =>
      (await gw.app.get(AuthorisationRepository).create(asVendorId(vendorA), a1.id, { startDate: '2026-01-01' })).id,
    newKey: async (scopes, organisationIds) => (await gw.newApiKey(vendorA, { scopes, organisationIds })).id,
  };
}
