import { formatDemoBanner } from './demo-banner';

describe('formatDemoBanner', () => {
  const info = {
    baseUrl: 'http://127.0.0.1:3001',
    apiKey: 'usi_test_key',
    orgCode: 'VA1802',
    users: [
      { email: 'admin@va1802.example', password: 'secret-1', role: 'provider_admin' as const, totpSecret: 'JBSWY3DPEHPK3PXP' },
      { email: 'support@demo.example', password: null, role: 'support' as const },
      { email: 'platform.support@ops.example', password: 'secret-2', role: 'platform_support' as const },
    ],
  };

  it('lists the URLs, logins and a curl that verifies the sample person with the demo key', () => {
    const text = formatDemoBanner(info, { simulatorUrl: 'http://127.0.0.1:7301', demoFile: '/x/.data/demo.json' });
    expect(text).toContain('http://127.0.0.1:3001/docs');
    expect(text).toContain('http://127.0.0.1:7301');
    expect(text).toMatch(/admin@va1802\.example\s+secret-1\s+provider_admin/);
    expect(text).toMatch(/secret-1[^\n]*\n\s+TOTP secret JBSWY3DPEHPK3PXP\n/);
    expect(text).toContain('http://127.0.0.1:3001/  (sign in');
    expect(text).toMatch(/support@demo\.example\s+\(unknown.*\)\s+support\s+\(the demo vendor only\)/);
    expect(text).toMatch(/platform\.support@ops\.example\s+secret-2\s+platform_support\s+\(every vendor;/);
    expect(text).toContain(`curl -s -X POST 'http://127.0.0.1:3001/v1/organisations/VA1802/usi/verify'`);
    expect(text).toContain(`Authorization: Bearer usi_test_key`);
    const body = /-d '(.+)'/.exec(text)?.[1];
    expect(JSON.parse(body ?? '')).toEqual({
      usi: 'BNGH7C75FN',
      firstName: 'Maryam',
      familyName: 'Fredrick',
      dateOfBirth: '1966-05-25',
    });
    expect(text).toContain('/x/.data/demo.json');
  });

  it('says where metrics are served and that the demo leaves them open', () => {
    const text = formatDemoBanner(info, { demoFile: 'demo.json', metrics: { url: 'http://127.0.0.1:3001/metrics', guard: 'open' } });
    expect(text).toMatch(/Metrics\s+http:\/\/127\.0\.0\.1:3001\/metrics\s+\(open to anyone here: set METRICS_PORT or METRICS_TOKEN/);
  });

  it('leaves the simulator line out when none runs in-process', () => {
    expect(formatDemoBanner(info, { demoFile: 'demo.json' })).not.toContain('Simulator');
  });
});
