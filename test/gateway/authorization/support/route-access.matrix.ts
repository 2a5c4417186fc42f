import { randomBytes, randomUUID } from 'node:crypto';
import { API_SCOPES } from '@gateway/common/request-context/principal';
import { randomAbn } from '../../../support/abn';
import { AccessWorld, isUser, PRINCIPALS, Who } from './access-world';

/**
 * What a principal gets on a route:
 * - `ok` 2xx; `passes` any answer but a policy refusal or a 500 (the route's own 4xx/5xx, e.g. USI routes stopping at
 *   an organisation without authorisation, or a lookup of an id that does not exist);
 * - `unauthenticated` 401; `forbidden` 403 auth.forbidden_scope; `vendor_wide` 403 auth.vendor_wide_required;
 *   `exceeds` 403 auth.exceeds_own_access; `not_found` 404 (outside the principal's reach).
 */
export type Outcome = 'ok' | 'passes' | 'unauthenticated' | 'forbidden' | 'vendor_wide' | 'exceeds' | 'not_found';

export interface RouteRequest {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteCase {
  label: string;
  request(w: AccessWorld, who: Who): RouteRequest | Promise<RouteRequest>;
  expected: Record<Who, Outcome>;
}

/** `allowed` for the named principals, `others` for the rest; nobody (no credentials) gets 401. */
function outcomes(allowed: Partial<Record<Who, Outcome>>, others: Outcome = 'forbidden'): Record<Who, Outcome> {
  return Object.fromEntries(
    PRINCIPALS.map((who) => [who, who === 'anonymous' ? 'unauthenticated' : (allowed[who] ?? others)]),
  ) as Record<Who, Outcome>;
}
const everyone = (outcome: Outcome) => Object.fromEntries(PRINCIPALS.map((who) => [who, outcome])) as Record<Who, Outcome>;
const users = (outcome: Outcome) => Object.fromEntries(PRINCIPALS.filter(isUser).map((who) => [who, outcome]));

const MANAGEMENT = { adminKey: 'ok', restrictedAdminKey: 'ok', vendorAdmin: 'ok' } as const;
const VENDOR_WIDE = (allowed: Outcome) => ({ adminKey: allowed, vendorAdmin: allowed, restrictedAdminKey: 'vendor_wide' }) as const;
const OUTSIDE_RESTRICTION = { adminKey: 'ok', vendorAdmin: 'ok', restrictedAdminKey: 'not_found' } as const;
/** The audit trail's readers (rule 4); vendor A's see A's tenants only. */
const AUDIT_READERS = { auditKey: 'ok', vendorAdmin: 'ok', providerAdmin: 'ok', support: 'ok', platformSupport: 'ok', platformAdmin: 'ok' } as const;
const ANOTHER_VENDORS_AUDIT = { ...AUDIT_READERS, auditKey: 'not_found', vendorAdmin: 'not_found', providerAdmin: 'not_found', support: 'not_found' } as const;

/** A provider's own users (of A1) read their organisation; anything else of the vendor is out of their reach. */
const PROVIDER_READERS = { ...MANAGEMENT, providerAdmin: 'ok', providerUser: 'ok' } as const;
const PROVIDERS_OUTSIDE = { ...OUTSIDE_RESTRICTION, providerAdmin: 'not_found', providerUser: 'not_found' } as const;

const one = (label: string, request: RouteCase['request'], expected: Record<Who, Outcome>): RouteCase[] => [{ label, request, expected }];
const orgBody = () => ({ orgCode: `M${randomBytes(4).toString('hex').toUpperCase()}`, abn: randomAbn(), legalName: 'Matrix Pty Ltd', kind: 'RTO' });
const transition = (action: string): RouteCase[] =>
  one(
    'a pending authorisation on A1',
    async (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/authorisations/${await w.newAuthorisation()}/${action}` }),
    outcomes(MANAGEMENT),
  );
const usi = (scope: 'verifyKey' | 'writeKey', path: (w: AccessWorld) => string, body?: unknown): RouteCase[] =>
  one('A3, which has no authorisation', (w) => ({ path: path(w), body }), outcomes({ [scope]: 'passes' }));

/**
 * Every route of the OpenAPI document × every principal. The spec fails when a documented route has no entry here
 * (or an entry names a route that no longer exists), so a new route cannot ship without deciding who may call it.
 */
export const ROUTE_MATRIX: Record<string, RouteCase[]> = {
  // Public
  'GET /health/live': one('probe', () => ({ path: '/health/live' }), everyone('ok')),
  'GET /health/ready': one('probe', () => ({ path: '/health/ready' }), everyone('passes')),
  'GET /metrics': one('scrape', () => ({ path: '/metrics' }), everyone('ok')),
  'GET /docs/errors': one('the guidance page', () => ({ path: '/docs/errors' }), everyone('ok')),
  'POST /v1/auth/login': one('wrong password', (_, who) => ({ path: '/v1/auth/login', body: { email: `nobody-${who}@example.test`, password: 'x' } }), everyone('passes')),
  'POST /v1/auth/logout': one('own session', async (w, who) => ({ path: '/v1/auth/logout', headers: await w.freshHeaders(who) }), everyone('ok')),
  'GET /v1/auth/me': one('any principal', () => ({ path: '/v1/auth/me' }), outcomes({}, 'ok')),
  'GET /v1/auth/csrf': one('sessions only', () => ({ path: '/v1/auth/csrf' }), outcomes(users('ok'))),

  // Vendor management (rules 1-3)
  'GET /v1/vendor': one('own vendor', () => ({ path: '/v1/vendor' }), outcomes(MANAGEMENT)),
  'GET /v1/status': one('own vendor’s upstream status', () => ({ path: '/v1/status' }), outcomes(MANAGEMENT)),
  'GET /v1/platform/status': one('every vendor', () => ({ path: '/v1/platform/status' }), outcomes({ platformAdmin: 'ok' })),
  'GET /v1/organisations': one('list', () => ({ path: '/v1/organisations' }), outcomes(MANAGEMENT)),
  'POST /v1/organisations': one('a new organisation (vendor-wide)', () => ({ path: '/v1/organisations', body: orgBody() }), outcomes(VENDOR_WIDE('ok'))),
  'GET /v1/organisations/{orgCode}': [
    { label: 'A1', request: (w) => ({ path: `/v1/organisations/${w.a1.orgCode}` }), expected: outcomes(PROVIDER_READERS) },
    { label: 'A2, outside the restriction', request: (w) => ({ path: `/v1/organisations/${w.a2.orgCode}` }), expected: outcomes(PROVIDERS_OUTSIDE) },
    {
      label: "vendor B's B1",
      request: (w) => ({ path: `/v1/organisations/${w.b1.orgCode}` }),
      expected: outcomes({ adminKey: 'not_found', restrictedAdminKey: 'not_found', vendorAdmin: 'not_found', providerAdmin: 'not_found', providerUser: 'not_found' }),
    },
  ],
  'PATCH /v1/organisations/{orgCode}': [
    { label: 'A1', request: (w) => ({ path: `/v1/organisations/${w.a1.orgCode}`, body: { contactName: 'Matrix' } }), expected: outcomes(MANAGEMENT) },
    {
      label: 'A2, outside the restriction',
      request: (w) => ({ path: `/v1/organisations/${w.a2.orgCode}`, body: { contactName: 'Matrix' } }),
      expected: outcomes(OUTSIDE_RESTRICTION),
    },
  ],
  'DELETE /v1/organisations/{orgCode}': one(
    'a new organisation, outside the restriction',
    async (w) => ({ path: `/v1/organisations/${(await w.newOrganisation()).orgCode}` }),
    outcomes(OUTSIDE_RESTRICTION),
  ),
  'GET /v1/organisations/{orgCode}/authorisations': [
    { label: 'A1', request: (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/authorisations` }), expected: outcomes(PROVIDER_READERS) },
    { label: 'A2, outside the restriction', request: (w) => ({ path: `/v1/organisations/${w.a2.orgCode}/authorisations` }), expected: outcomes(PROVIDERS_OUTSIDE) },
  ],
  'GET /v1/organisations/{orgCode}/authorisations/{id}/connection-tests': [
    {
      label: 'an authorisation of A1',
      request: async (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/authorisations/${await w.newAuthorisation()}/connection-tests` }),
      expected: outcomes(PROVIDER_READERS),
    },
    {
      label: "A1's authorisation under A2's code (an edited URL)",
      request: async (w) => ({ path: `/v1/organisations/${w.a2.orgCode}/authorisations/${await w.newAuthorisation()}/connection-tests` }),
      expected: outcomes({ ...PROVIDERS_OUTSIDE, adminKey: 'not_found', vendorAdmin: 'not_found' }),
    },
  ],
  'POST /v1/organisations/{orgCode}/authorisations': one(
    'A1',
    (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/authorisations`, body: { startDate: '2026-01-01' } }),
    outcomes(MANAGEMENT),
  ),
  'POST /v1/organisations/{orgCode}/authorisations/{id}/regenerate-software-id': transition('regenerate-software-id'),
  'POST /v1/organisations/{orgCode}/authorisations/{id}/revoke': transition('revoke'),
  'POST /v1/organisations/{orgCode}/authorisations/{id}/activate': [
    // Never tested: refused (409 authorisation.untested) by the route itself, past the policy.
    ...one(
      'a pending, untested authorisation on A1',
      async (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/authorisations/${await w.newAuthorisation()}/activate` }),
      outcomes({ adminKey: 'passes', restrictedAdminKey: 'passes', vendorAdmin: 'passes' }),
    ),
    ...one(
      'forced, with a reason',
      async (w) => ({
        path: `/v1/organisations/${w.a1.orgCode}/authorisations/${await w.newAuthorisation()}/activate`,
        body: { force: true, reason: 'matrix' },
      }),
      outcomes(MANAGEMENT),
    ),
  ],
  'GET /v1/api-keys': one('list', () => ({ path: '/v1/api-keys' }), outcomes(MANAGEMENT)),
  'POST /v1/api-keys': [
    { label: 'admin for A1', request: (w) => ({ path: '/v1/api-keys', body: { name: 'm', scopes: ['admin'], organisationIds: [w.a1.id] } }), expected: outcomes(MANAGEMENT) },
    {
      label: 'admin for A1 and A2',
      request: (w) => ({ path: '/v1/api-keys', body: { name: 'm', scopes: ['admin'], organisationIds: [w.a1.id, w.a2.id] } }),
      expected: outcomes({ ...MANAGEMENT, restrictedAdminKey: 'exceeds' }),
    },
    {
      label: 'admin for every organisation',
      request: () => ({ path: '/v1/api-keys', body: { name: 'm', scopes: ['admin'], organisationIds: null } }),
      expected: outcomes({ ...MANAGEMENT, restrictedAdminKey: 'exceeds' }),
    },
    {
      label: 'every scope for every organisation (the reported escalation)',
      request: () => ({ path: '/v1/api-keys', body: { name: 'm', scopes: [...API_SCOPES], organisationIds: null } }),
      expected: outcomes({ vendorAdmin: 'ok', adminKey: 'exceeds', restrictedAdminKey: 'exceeds' }),
    },
  ],
  'POST /v1/api-keys/{id}/revoke': [
    { label: 'an admin key for A1', request: async (w) => ({ path: `/v1/api-keys/${await w.newKey(['admin'], [w.a1.id])}/revoke` }), expected: outcomes(MANAGEMENT) },
    {
      label: 'an unrestricted admin key',
      request: async (w) => ({ path: `/v1/api-keys/${await w.newKey(['admin'], null)}/revoke` }),
      expected: outcomes({ ...MANAGEMENT, restrictedAdminKey: 'exceeds' }),
    },
    {
      label: 'a key for A1 with every scope',
      request: async (w) => ({ path: `/v1/api-keys/${await w.newKey([...API_SCOPES], [w.a1.id])}/revoke` }),
      expected: outcomes({ vendorAdmin: 'ok', adminKey: 'exceeds', restrictedAdminKey: 'exceeds' }),
    },
  ],
  // Webhooks: vendor-wide management (an unknown id answers 404 after the policy let the call through)
  'POST /v1/webhooks/endpoints': one(
    'a new endpoint (vendor-wide)',
    () => ({ path: '/v1/webhooks/endpoints', body: { url: 'https://hooks.example.test/in', eventTypes: ['credential.expiring'] } }),
    outcomes(VENDOR_WIDE('ok')),
  ),
  'GET /v1/webhooks/endpoints': one('list (vendor-wide)', () => ({ path: '/v1/webhooks/endpoints' }), outcomes(VENDOR_WIDE('ok'))),
  'GET /v1/webhooks/endpoints/{id}': one('an unknown id (vendor-wide)', () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}` }), outcomes(VENDOR_WIDE('passes'))),
  'PATCH /v1/webhooks/endpoints/{id}': one(
    'an unknown id (vendor-wide)',
    () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}`, body: { description: 'matrix' } }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'DELETE /v1/webhooks/endpoints/{id}': one('an unknown id (vendor-wide)', () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}` }), outcomes(VENDOR_WIDE('passes'))),
  'POST /v1/webhooks/endpoints/{id}/rotate-secret': one(
    'an unknown id (vendor-wide)',
    () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}/rotate-secret` }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'GET /v1/webhooks/endpoints/{id}/deliveries': one(
    'an unknown id (vendor-wide)',
    () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}/deliveries` }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'POST /v1/webhooks/endpoints/{id}/deliveries/{deliveryId}/redeliver': one(
    'an unknown id (vendor-wide)',
    () => ({ path: `/v1/webhooks/endpoints/${randomUUID()}/deliveries/${randomUUID()}/redeliver` }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'POST /v1/credentials': one(
    'an unreadable keystore (vendor-wide)',
    () => ({ path: '/v1/credentials', body: { credentialId: 'ABRD:x', password: 'p', keystoreXml: '<x/>' } }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'GET /v1/credentials': one('list (vendor-wide)', () => ({ path: '/v1/credentials' }), outcomes(VENDOR_WIDE('ok'))),
  'GET /v1/credentials/{id}': one('an unknown id (vendor-wide)', () => ({ path: `/v1/credentials/${randomUUID()}` }), outcomes(VENDOR_WIDE('passes'))),
  'POST /v1/credentials/{id}/revoke': one('an unknown id (vendor-wide)', () => ({ path: `/v1/credentials/${randomUUID()}/revoke` }), outcomes(VENDOR_WIDE('passes'))),
  'DELETE /v1/credentials/{id}': one('an unknown id (vendor-wide)', () => ({ path: `/v1/credentials/${randomUUID()}` }), outcomes(VENDOR_WIDE('passes'))),
  'POST /v1/credentials/{id}/check': one('an unknown id (vendor-wide)', () => ({ path: `/v1/credentials/${randomUUID()}/check` }), outcomes(VENDOR_WIDE('passes'))),
  'POST /v1/credentials/{id}/activate': one(
    'an unknown id (vendor-wide)',
    () => ({ path: `/v1/credentials/${randomUUID()}/activate`, body: { confirm: true } }),
    outcomes(VENDOR_WIDE('passes')),
  ),
  'GET /v1/credentials/{id}/renewal': one('an unknown id (vendor-wide)', () => ({ path: `/v1/credentials/${randomUUID()}/renewal` }), outcomes(VENDOR_WIDE('passes'))),
  // An organisation's own credential (direct mode) is managed like the organisation itself, within a key's restriction.
  'POST /v1/organisations/{orgCode}/credentials': one(
    'A1, a keystore that does not parse',
    (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/credentials`, body: { credentialId: 'ABRD:x', password: 'p', keystoreXml: '<x/>' } }),
    outcomes({ adminKey: 'passes', restrictedAdminKey: 'passes', vendorAdmin: 'passes' }),
  ),
  'GET /v1/organisations/{orgCode}/credentials': one('A1', (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/credentials` }), outcomes(MANAGEMENT)),

  // Platform
  'POST /v1/platform/vendors': one(
    'a new vendor',
    () => ({ path: '/v1/platform/vendors', body: { name: 'Matrix vendor', abn: randomAbn() } }),
    outcomes({ platformAdmin: 'ok' }),
  ),

  // Audit (rule 4)
  'GET /v1/audit/events': [
    { label: 'everything in reach', request: () => ({ path: '/v1/audit/events' }), expected: outcomes(AUDIT_READERS) },
    {
      label: 'A2, outside the provider admin',
      request: (w) => ({ path: '/v1/audit/events', query: { organisation: w.a2.orgCode } }),
      expected: outcomes({ ...AUDIT_READERS, providerAdmin: 'not_found' }),
    },
    { label: "vendor B's B1", request: (w) => ({ path: '/v1/audit/events', query: { organisation: w.b1.orgCode } }), expected: outcomes(ANOTHER_VENDORS_AUDIT) },
  ],
  'GET /v1/audit/requests/{requestId}': [
    { label: 'a request on A1', request: (w) => ({ path: `/v1/audit/requests/${w.requestA1}` }), expected: outcomes(AUDIT_READERS) },
    { label: 'a request on B1', request: (w) => ({ path: `/v1/audit/requests/${w.requestB1}` }), expected: outcomes(ANOTHER_VENDORS_AUDIT) },
  ],
  'GET /v1/audit/export.csv': [
    { label: 'everything in reach', request: () => ({ path: '/v1/audit/export.csv' }), expected: outcomes(AUDIT_READERS) },
    { label: "vendor B's B1", request: (w) => ({ path: '/v1/audit/export.csv', query: { organisation: w.b1.orgCode } }), expected: outcomes(ANOTHER_VENDORS_AUDIT) },
  ],
  'GET /v1/audit/verify': [
    { label: 'A1', request: (w) => ({ path: '/v1/audit/verify', query: { organisation: w.a1.orgCode } }), expected: outcomes(AUDIT_READERS) },
    { label: "vendor B's B1", request: (w) => ({ path: '/v1/audit/verify', query: { organisation: w.b1.orgCode } }), expected: outcomes(ANOTHER_VENDORS_AUDIT) },
    { label: 'every chain in reach', request: () => ({ path: '/v1/audit/verify' }), expected: outcomes(AUDIT_READERS) },
    {
      label: "vendor A's own chain (whole-vendor readers)",
      request: (w) => ({ path: '/v1/audit/verify', query: { vendor: w.vendorA } }),
      expected: outcomes({ ...AUDIT_READERS, providerAdmin: 'vendor_wide' }),
    },
    { label: "vendor B's chain", request: (w) => ({ path: '/v1/audit/verify', query: { vendor: w.vendorB } }), expected: outcomes(ANOTHER_VENDORS_AUDIT) },
  ],
  'GET /v1/audit/raw-exchanges/{exchangeId}': one(
    'an unknown exchange (platform admins only)',
    () => ({ path: `/v1/audit/raw-exchanges/${randomUUID()}` }),
    outcomes({ platformAdmin: 'passes' }),
  ),

  // USI (API keys with the operation's scope)
  'POST /v1/organisations/{orgCode}/usi/verify': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/usi/verify`, {}),
  'POST /v1/organisations/{orgCode}/usi/verify/batch': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/usi/verify/batch`, {}),
  'POST /v1/organisations/{orgCode}/usis/locate': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/usis/locate`, {}),
  'GET /v1/organisations/{orgCode}/bulk-uploads/{receipt}': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/bulk-uploads/R1`),
  'GET /v1/organisations/{orgCode}/reference/countries': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/reference/countries`),
  'GET /v1/organisations/{orgCode}/reference/document-types': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/reference/document-types`),
  'POST /v1/organisations/{orgCode}/connection-test': [
    ...one('A3, which has no authorisation', (w) => ({ path: `/v1/organisations/${w.a3.orgCode}/connection-test` }), outcomes({ verifyKey: 'passes', vendorAdmin: 'passes', providerAdmin: 'not_found' })),
    ...one(
      "A1, the provider admin's own",
      (w) => ({ path: `/v1/organisations/${w.a1.orgCode}/connection-test` }),
      outcomes({ verifyKey: 'passes', vendorAdmin: 'passes', providerAdmin: 'passes' }),
    ),
    ...one(
      'A2, another organisation of the vendor (an edited URL)',
      (w) => ({ path: `/v1/organisations/${w.a2.orgCode}/connection-test` }),
      outcomes({ verifyKey: 'passes', vendorAdmin: 'passes', providerAdmin: 'not_found' }),
    ),
  ],
  'POST /v1/organisations/{orgCode}/usis': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/usis`, {}),
  'PUT /v1/organisations/{orgCode}/usis/{usi}/personal-details': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/usis/BNGH7C75FN/personal-details`, {}),
  'PUT /v1/organisations/{orgCode}/usis/{usi}/contact-details': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/usis/BNGH7C75FN/contact-details`, {}),
  'POST /v1/organisations/{orgCode}/bulk-uploads': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/bulk-uploads`, {}),

  // Bulk verification jobs (API keys with usi:verify; the job's organisation must have an authorisation in force)
  'POST /v1/organisations/{orgCode}/verification-jobs': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/verification-jobs`, []),
  'GET /v1/organisations/{orgCode}/verification-jobs': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/verification-jobs`),
  'GET /v1/organisations/{orgCode}/verification-jobs/{id}': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/verification-jobs/${randomUUID()}`),
  'DELETE /v1/organisations/{orgCode}/verification-jobs/{id}': usi('verifyKey', (w) => `/v1/organisations/${w.a3.orgCode}/verification-jobs/${randomUUID()}`),
  'GET /v1/organisations/{orgCode}/verification-jobs/{id}/results': usi(
    'verifyKey',
    (w) => `/v1/organisations/${w.a3.orgCode}/verification-jobs/${randomUUID()}/results`,
  ),
  // Bulk creation jobs (API keys with usi:write; the job's organisation must have an authorisation in force)
  'POST /v1/organisations/{orgCode}/creation-jobs': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/creation-jobs`, []),
  'GET /v1/organisations/{orgCode}/creation-jobs': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/creation-jobs`),
  'GET /v1/organisations/{orgCode}/creation-jobs/{id}': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/creation-jobs/${randomUUID()}`),
  'DELETE /v1/organisations/{orgCode}/creation-jobs/{id}': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/creation-jobs/${randomUUID()}`),
  'GET /v1/organisations/{orgCode}/creation-jobs/{id}/results': usi('writeKey', (w) => `/v1/organisations/${w.a3.orgCode}/creation-jobs/${randomUUID()}/results`),
  'GET /docs/creation-jobs/example.csv': one('the example upload', () => ({ path: '/docs/creation-jobs/example.csv' }), everyone('ok')),
  'GET /docs/verification-jobs/example.csv': one('the example upload', () => ({ path: '/docs/verification-jobs/example.csv' }), everyone('ok')),
};
