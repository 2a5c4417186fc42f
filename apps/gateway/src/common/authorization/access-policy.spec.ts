import { API_SCOPES, Principal } from '../request-context/principal';
import type { VendorId } from '../../database/vendor-id';
import { AppError } from '../errors/app-error';
import {
  auditReach,
  Decision,
  effectiveRoles,
  enforce,
  Grant,
  grantDecision,
  heldScopes,
  organisationRestriction,
  reachesOrganisation,
  revokeDecision,
  routeDecision,
  RouteRule,
} from './access-policy';

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

    it('a key needs every scope a route lists, not one of them', () => {
      const rule: RouteRule = { scopes: ['usi:verify', 'usi:write'] };
      expect(outcome(routeDecision(key(['usi:verify']), rule))).toBe('forbidden_scope');
      expect(outcome(routeDecision(key(['usi:write']), rule))).toBe('forbidden_scope');
      expect(outcome(routeDecision(key(['usi:verify', 'usi:write']), rule))).toBe('allow');
    });

    it('a vendor-wide route refuses platform staff, who have no vendor to act for', () => {
      const rule: RouteRule = { roles: ['platform_admin', 'vendor_admin'], vendorWide: true };
      expect(outcome(routeDecision(PRINCIPALS.platformAdmin, rule))).toBe('vendor_wide_required');
      expect(outcome(routeDecision(PRINCIPALS.vendorAdmin, rule))).toBe('allow');
    });

    it('says which scopes or roles were missing', () => {
      const both = routeDecision(PRINCIPALS.verifyKey, { scopes: ['admin'], roles: ['vendor_admin'] });
      expect(both).toMatchObject({ allowed: false, details: { requiredScopes: ['admin'], requiredRoles: ['vendor_admin'] } });
      expect((both as { message: string }).message).toMatch(/not allowed/);
      const scopesOnly = routeDecision(PRINCIPALS.verifyKey, { scopes: ['admin'] });
      expect((scopesOnly as { details: object }).details).toEqual({ requiredScopes: ['admin'] });
      const rolesOnly = routeDecision(PRINCIPALS.verifyKey, { roles: ['vendor_admin'] });
      expect((rolesOnly as { details: object }).details).toEqual({ requiredRoles: ['vendor_admin'] });
      const vendorWide = routeDecision(PRINCIPALS.restrictedAdminKey, { scopes: ['admin'], vendorWide: true });
      expect((vendorWide as { message: string }).message).toMatch(/whole vendor/);
    });

    it('roles on an API key count for nothing (keys are judged by their scopes alone)', () => {
      const keyWithRoles: Principal = { ...key([]), roles: ['vendor_admin', 'platform_admin'] };
      expect(effectiveRoles(keyWithRoles)).toEqual([]);
      expect(outcome(routeDecision(keyWithRoles, { roles: ['vendor_admin'] }))).toBe('forbidden_scope');
      expect(auditReach({ ...keyWithRoles, vendorId: null })).toBeUndefined();
    });
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

    it('says in the message whether a key was being created or revoked', () => {
      const grant: Grant = { scopes: ['admin'], organisationIds: null };
      expect((grantDecision(PRINCIPALS.verifyKey, grant) as { message: string }).message).toMatch(/cannot create a key/);
      expect((revokeDecision(PRINCIPALS.verifyKey, grant) as { message: string }).message).toMatch(/cannot revoke a key/);
      expect((grantDecision(PRINCIPALS.platformAdmin, grant) as { message: string }).message).toMatch(/belong to a vendor/);
    });

    it('a role amounts to the scopes it may put on a key, and no more', () => {
      expect(heldScopes(PRINCIPALS.support)).toEqual(['audit:read']);
      expect(heldScopes(PRINCIPALS.providerAdmin)).toEqual(['audit:read']);
      expect(heldScopes(PRINCIPALS.providerUser)).toEqual([]);
      expect(heldScopes(PRINCIPALS.platformSupport)).toEqual([]);
      expect(heldScopes(PRINCIPALS.platformAdmin)).toEqual([]);
      expect(outcome(grantDecision(PRINCIPALS.support, { scopes: ['audit:read'], organisationIds: [ORG1] }))).toBe('allow');
      expect(outcome(grantDecision(PRINCIPALS.providerAdmin, { scopes: ['audit:read'], organisationIds: [ORG1] }))).toBe('allow');
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

    it('an audit:read key without a vendor reads nothing', () => {
      expect(auditReach({ ...PRINCIPALS.auditKey, vendorId: null })).toBeUndefined();
    });

    it('a provider admin without an organisation reads nothing rather than the whole vendor', () => {
      expect(auditReach(user('provider_admin', V))).toEqual({ kind: 'vendor', vendorId: V, organisationIds: [] });
    });
  });

  describe('listing and reading within organisations', () => {
    it('a restricted principal lists and reaches only its organisations; an unrestricted one the whole vendor', () => {
      expect(organisationRestriction(PRINCIPALS.providerAdmin)).toEqual([ORG1]);
      expect(organisationRestriction(PRINCIPALS.vendorAdmin)).toBeNull();
      expect(organisationRestriction({ ...PRINCIPALS.vendorAdmin, organisationIds: undefined })).toBeNull();
      expect(reachesOrganisation(PRINCIPALS.providerAdmin, ORG1)).toBe(true);
      expect(reachesOrganisation(PRINCIPALS.providerAdmin, ORG2)).toBe(false);
      expect(reachesOrganisation(PRINCIPALS.vendorAdmin, ORG2)).toBe(true);
    });
  });

  describe('enforce', () => {
    it('throws the denial as an AppError with its code and details, and lets an allowed decision through', () => {
      expect(() => enforce({ allowed: true })).not.toThrow();
      const denial = routeDecision(PRINCIPALS.verifyKey, { scopes: ['admin'] });
      let thrown: unknown;
      try {
        enforce(denial);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'auth.forbidden_scope', details: { requiredScopes: ['admin'] } });
    });
  });
});
