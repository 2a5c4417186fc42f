import { API_SCOPES, Principal } from '../request-context/principal';
import type { VendorId } from '../../database/vendor-id';
import { auditReach, Decision, Grant, grantDecision, heldScopes, revokeDecision, routeDecision, RouteRule } from './access-policy';

const V = 'vendor-a' as VendorId;
const ORG1 = 'org-1';
const ORG2 = 'org-2';

const key = (scopes: Principal['scopes'], organisationIds: string[] | null = null): Principal => ({
  kind: 'api_key',
  vendorId: V,
  organisationIds,
  scopes,
  roles: [],
  actorId: 'api_key:x',
});
const user = (role: Principal['roles'][number], vendorId: VendorId | null, organisationIds: string[] | null = null): Principal => ({
  kind: 'user',
  vendorId,
  organisationIds,
  scopes: [],
  roles: [role],
  actorId: 'user:x',
});

/** Every kind of caller the gateway knows, plus the mis-sited roles the database now refuses (defence in depth). */
const PRINCIPALS = {
  adminKey: key(['admin']),
  restrictedAdminKey: key(['admin'], [ORG1]),
  allScopesKey: key([...API_SCOPES]),
  verifyKey: key(['usi:verify']),
  auditKey: key(['audit:read']),
  vendorAdmin: user('vendor_admin', V),
  providerAdmin: user('provider_admin', V, [ORG1]),
  providerUser: user('provider_viewer', V, [ORG1]),
  support: user('support', V),
  platformSupport: user('platform_support', null),
  platformAdmin: user('platform_admin', null),
  vendorlessSupport: user('support', null),
  vendorPlatformAdmin: user('platform_admin', V),
} as const;
type Who = keyof typeof PRINCIPALS;

const outcome = (d: Decision): string => (d.allowed ? 'allow' : d.code.replace('auth.', ''));

/** Expected outcome per principal; `rest` for everyone not named. */
function expectTable(decide: (p: Principal) => Decision, expected: Partial<Record<Who, string>> & { rest: string }): void {
  const actual = Object.fromEntries(Object.entries(PRINCIPALS).map(([who, p]) => [who, outcome(decide(p))]));
  const wanted = Object.fromEntries(Object.keys(PRINCIPALS).map((who) => [who, expected[who as Who] ?? expected.rest]));
  expect(actual).toEqual(wanted);
}

describe('access policy', () => {
  describe('rule 1 and 2: routes', () => {
    const MANAGERS = { adminKey: 'allow', restrictedAdminKey: 'allow', allScopesKey: 'allow', vendorAdmin: 'allow' };
    const AUDIT_ROLES = ['platform_support', 'platform_admin', 'support', 'vendor_admin', 'provider_admin'] as const;
    const ROUTES: [string, RouteRule, Partial<Record<Who, string>> & { rest: string }][] = [
      ['management', { scopes: ['admin'], roles: ['vendor_admin'] }, { ...MANAGERS, rest: 'forbidden_scope' }],
      [
        'vendor-wide management',
        { scopes: ['admin'], roles: ['vendor_admin'], vendorWide: true },
        { ...MANAGERS, restrictedAdminKey: 'vendor_wide_required', rest: 'forbidden_scope' },
      ],
      ['usi:verify', { scopes: ['usi:verify'] }, { allScopesKey: 'allow', verifyKey: 'allow', rest: 'forbidden_scope' }],
      [
        'audit',
        { scopes: ['audit:read'], roles: AUDIT_ROLES },
        {
          ...Object.fromEntries(['allScopesKey', 'auditKey', 'vendorAdmin', 'providerAdmin', 'support', 'platformSupport', 'platformAdmin'].map((w) => [w, 'allow'])),
          rest: 'forbidden_scope',
        },
      ],
      ['platform admin', { roles: ['platform_admin'] }, { platformAdmin: 'allow', rest: 'forbidden_scope' }],
      ['any authenticated', {}, { rest: 'allow' }],
    ];
    it.each(ROUTES)('%s', (_, rule, expected) => expectTable((p) => routeDecision(p, rule), expected));
  });

  describe('rule 3: no key with more than its creator holds', () => {
    /** Accounts without a vendor have no keys to grant; everybody not named holds less than the grant. */
    const NO_VENDOR = { platformSupport: 'forbidden_scope', platformAdmin: 'forbidden_scope', vendorlessSupport: 'forbidden_scope' };
    const EVERY_SCOPE = { allScopesKey: 'allow', vendorAdmin: 'allow' };
    const GRANTS: [string, Grant, Partial<Record<Who, string>> & { rest: string }][] = [
      [
        'usi:verify for ORG1',
        { scopes: ['usi:verify'], organisationIds: [ORG1] },
        { ...NO_VENDOR, ...EVERY_SCOPE, verifyKey: 'allow', rest: 'exceeds_own_access' },
      ],
      [
        'admin for ORG1',
        { scopes: ['admin'], organisationIds: [ORG1] },
        { ...NO_VENDOR, ...EVERY_SCOPE, adminKey: 'allow', restrictedAdminKey: 'allow', rest: 'exceeds_own_access' },
      ],
      [
        'admin for ORG1 and ORG2',
        { scopes: ['admin'], organisationIds: [ORG1, ORG2] },
        { ...NO_VENDOR, ...EVERY_SCOPE, adminKey: 'allow', rest: 'exceeds_own_access' },
      ],
      [
        'admin for every organisation',
        { scopes: ['admin'], organisationIds: null },
        { ...NO_VENDOR, ...EVERY_SCOPE, adminKey: 'allow', rest: 'exceeds_own_access' },
      ],
      [
        'every scope for every organisation',
        { scopes: [...API_SCOPES], organisationIds: null },
        { ...NO_VENDOR, ...EVERY_SCOPE, rest: 'exceeds_own_access' },
      ],
    ];
    it.each(GRANTS)('create %s', (_, grant, expected) => expectTable((p) => grantDecision(p, grant), expected));
    it.each(GRANTS)('revoke %s: the same rule', (_, grant, expected) => expectTable((p) => revokeDecision(p, grant), expected));

    it('names what exceeds', () => {
      expect(grantDecision(PRINCIPALS.restrictedAdminKey, { scopes: ['admin', 'usi:write'], organisationIds: null })).toMatchObject({
        allowed: false,
        details: { extraScopes: ['usi:write'], unrestricted: true },
      });
      expect(grantDecision(PRINCIPALS.restrictedAdminKey, { scopes: ['admin'], organisationIds: [ORG1, ORG2] })).toMatchObject({
        details: { extraOrganisationIds: [ORG2] },
      });
    });

    it('a vendor admin holds every scope; a role on the wrong side of the vendor line holds nothing', () => {
      expect(heldScopes(PRINCIPALS.vendorAdmin).sort()).toEqual([...API_SCOPES].sort());
      expect(heldScopes(PRINCIPALS.vendorPlatformAdmin)).toEqual([]);
      expect(heldScopes(PRINCIPALS.vendorlessSupport)).toEqual([]);
    });
  });

  describe('rule 4: audit reach', () => {
    it.each<[Who, ReturnType<typeof auditReach>]>([
      ['platformSupport', { kind: 'platform' }],
      ['platformAdmin', { kind: 'platform' }],
      ['support', { kind: 'vendor', vendorId: V, organisationIds: null }],
      ['vendorAdmin', { kind: 'vendor', vendorId: V, organisationIds: null }],
      ['auditKey', { kind: 'vendor', vendorId: V, organisationIds: null }],
      ['providerAdmin', { kind: 'vendor', vendorId: V, organisationIds: [ORG1] }],
      ['providerUser', undefined],
      ['verifyKey', undefined],
      ['vendorlessSupport', undefined],
      ['vendorPlatformAdmin', undefined],
    ])('%s', (who, expected) => expect(auditReach(PRINCIPALS[who])).toEqual(expected));

    it('a provider admin without an organisation reads nothing rather than the whole vendor', () => {
      expect(auditReach(user('provider_admin', V))).toEqual({ kind: 'vendor', vendorId: V, organisationIds: [] });
    });
  });
});
