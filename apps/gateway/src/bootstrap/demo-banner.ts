import type { UserRole } from '../common/request-context/principal';
import type { DemoInfo } from './demo-file';

/** Who sees what, so the two support logins are not mistaken for each other. */
const REACH: Partial<Record<UserRole, string>> = {
  provider_admin: '(its organisation)',
  vendor_admin: '(the demo vendor: its console at /vendor)',
  vendor_developer: '(the demo vendor, read only)',
  support: '(the demo vendor only)',
  platform_support: "(every vendor; each read is recorded on that vendor's audit trail)",
};

/** The sample person the simulator's registry always holds (apps/usi-sim/src/registry/SEED.md). */
const SAMPLE_VERIFY = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

const METRICS_NOTE = {
  open: '  (open to anyone here: set METRICS_PORT or METRICS_TOKEN to restrict it, as production must)',
  token: '  (Authorization: Bearer $METRICS_TOKEN)',
};

export interface BannerExtras {
  simulatorUrl?: string;
  demoFile: string;
  /** Where Prometheus metrics are served and how they are guarded (METRICS_PORT / METRICS_TOKEN). */
  metrics?: { url: string; guard: 'open' | 'token' };
}

/** What a developer sees after `npm start`: enough to log in and make a first USI call without reading docs. */
export function formatDemoBanner(info: DemoInfo, extras: BannerExtras): string {
  const width = Math.max(...info.users.map((u) => u.email.length));
  const logins = info.users.flatMap((u) => [
    [`    ${u.email.padEnd(width)}`, u.password ?? '(unknown: delete ./.data to reset)', u.role, REACH[u.role] ?? ''].join('  ').trimEnd(),
    ...(u.totpSecret ? [`    ${''.padEnd(width)}  TOTP secret ${u.totpSecret}`] : []),
  ]);
  const curl = [
    `curl -s -X POST '${info.baseUrl}/v1/organisations/${info.orgCode}/usi/verify' \\`,
    `  -H 'Authorization: Bearer ${info.apiKey}' -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(SAMPLE_VERIFY)}'`,
  ];
  return [
    '',
    'USI Gateway demo is ready',
    `  Gateway     ${info.baseUrl}`,
    `  Web app     ${info.baseUrl}/  (sign in with a login below; add its TOTP secret to an authenticator app)`,
    `  Support     ${info.baseUrl}/support  (audit search, request stories, chains, charts: the support logins below)`,
    `  API docs    ${info.baseUrl}/docs`,
    ...(extras.simulatorUrl ? [`  Simulator   ${extras.simulatorUrl}`] : []),
    ...(extras.metrics ? [`  Metrics     ${extras.metrics.url}${METRICS_NOTE[extras.metrics.guard]}`] : []),
    `  Org code    ${info.orgCode}`,
    `  API key     ${info.apiKey}`,
    '  Logins (web sign-in, or POST /v1/auth/login with totpCode):',
    ...logins,
    '  Try it:',
    ...curl.map((line) => `    ${line}`),
    `  (all of this is in ${extras.demoFile})`,
    '',
  ].join('\n');
}
