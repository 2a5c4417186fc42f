import { homeAfterSignIn } from './home-after-sign-in';

describe('homeAfterSignIn', () => {
  it.each([
    [['vendor_admin'], 'v1', '/vendor'],
    [['vendor_developer'], 'v1', '/vendor'],
    [['support'], 'v1', '/support'],
    [['platform_support'], null, '/support'],
    [['platform_admin'], null, '/support'],
    [['provider_admin'], 'v1', '/provider'],
    [['provider_viewer'], 'v1', '/provider'],
    [[], null, '/provider'],
    [[], 'v1', '/account'],
    [['support', 'vendor_admin'], 'v1', '/vendor'],
  ] as const)('%j (vendor %s) → %s', (roles, vendorId, home) => {
    expect(homeAfterSignIn({ roles, vendorId })).toBe(home);
  });
});
