/**
 * The web app's routes (server-rendered pages, outside the OpenAPI document) × every kind of browser caller. The
 * spec fails when a page route is registered without an entry here (or an entry names no route), like the API matrix.
 *
 * Callers: nobody; an API key (pages ignore it: a browser never sends one on its own); a session that passed the
 * password only (`pending`); a JSON-API session of a user with no second factor (`unenrolled`); a session that passed
 * the second factor (`verified`).
 * Outcomes: `page` 2xx; `sign_in` 303 to /login; `second_factor` 303 to /login/mfa or /mfa/setup; `redirect` another
 * 303; `passes` anything but a 5xx or one of those refusals; `forbidden` 403.
 */
export const WEB_CALLERS = ['anonymous', 'apiKey', 'pending', 'unenrolled', 'verified'] as const;
export type WebCaller = (typeof WEB_CALLERS)[number];
export type WebOutcome = 'page' | 'sign_in' | 'second_factor' | 'redirect' | 'passes' | 'forbidden';

export interface WebRouteCase {
  label: string;
  path: string;
  /** urlencoded form fields (the spec adds a valid CSRF token unless `csrf: false`). */
  form?: Record<string, string>;
  expected: Record<WebCaller, WebOutcome>;
}

const all = (outcome: WebOutcome) => Object.fromEntries(WEB_CALLERS.map((c) => [c, outcome])) as Record<WebCaller, WebOutcome>;
/** A page with data: the second factor passed, else sign in (no session, or an API key) or pass it first. */
const DATA: Record<WebCaller, WebOutcome> = { anonymous: 'sign_in', apiKey: 'sign_in', pending: 'second_factor', unenrolled: 'second_factor', verified: 'page' };
const DATA_WRITE: Record<WebCaller, WebOutcome> = { ...DATA, verified: 'passes' };
/** Support console pages: a verified user without a support or platform role is refused (403). */
const STAFF_ONLY: Record<WebCaller, WebOutcome> = { ...DATA, verified: 'forbidden' };
/** A vendor console page: as DATA, but refused (403) to the verified caller, a provider admin. */
const VENDOR: Record<WebCaller, WebOutcome> = { ...DATA, verified: 'forbidden' };
/** The second-factor pages: any session past its password. */
const SECOND_STEP = (pending: WebOutcome, unenrolled: WebOutcome): Record<WebCaller, WebOutcome> =>
  ({ anonymous: 'sign_in', apiKey: 'sign_in', pending, unenrolled, verified: 'redirect' });

const one = (label: string, path: string, expected: Record<WebCaller, WebOutcome>, form?: Record<string, string>): WebRouteCase[] => [
  { label, path, expected, form },
];

export const WEB_ROUTE_MATRIX: Record<string, WebRouteCase[]> = {
  'GET /': one('landing', '/', all('page')),
  'GET /assets/site.css': one('stylesheet', '/assets/site.css', all('page')),
  'GET /login': one('sign-in form', '/login', { ...all('page'), verified: 'redirect' }),
  'POST /login': one('wrong password', '/login', all('passes'), { email: 'nobody@example.test', password: 'wrong password' }),
  'GET /login/mfa': one('second step', '/login/mfa', SECOND_STEP('page', 'second_factor')),
  'POST /login/mfa': one('a wrong code', '/login/mfa', SECOND_STEP('passes', 'second_factor'), { code: '000000' }),
  'GET /mfa/setup': one('enrolment', '/mfa/setup', SECOND_STEP('second_factor', 'page')),
  'POST /mfa/setup': one('a wrong code', '/mfa/setup', SECOND_STEP('redirect', 'passes'), { code: '000000' }),
  'POST /logout': one('own session', '/logout', all('redirect')),
  'POST /logout/everywhere': one('own sessions', '/logout/everywhere', { ...DATA, verified: 'redirect' }),
  'GET /password/forgot': one('form', '/password/forgot', all('page')),
  'POST /password/forgot': one('an unknown email', '/password/forgot', all('page'), { email: 'nobody@example.test' }),
  'GET /password/reset': one('an unknown link', '/password/reset?token=nope', all('passes')),
  'POST /password/reset': one('an unknown link', '/password/reset', all('passes'), { token: 'nope', password: 'long enough passphrase', confirm: 'long enough passphrase' }),
  'GET /account': one('own account', '/account', DATA),
  'POST /account/password': one('a wrong current password', '/account/password', DATA_WRITE, { currentPassword: 'wrong', newPassword: 'long enough passphrase' }),
  // The provider's journey (web/provider/). The verified caller is a provider admin whose organisation has no
  // authorisation yet, so the organisation form sends it on, and the RAM step's actions stop at the missing authorisation.
  'GET /assets/copy.js': one('copy buttons script', '/assets/copy.js', all('page')),
  'GET /signup': one('form', '/signup', all('page')),
  'POST /signup': one('bad input', '/signup', all('passes'), { name: '', email: 'not an email', password: 'short' }),
  'GET /signup/verify': one('a link', '/signup/verify?token=nope', all('page')),
  'POST /signup/verify': one('an unknown token', '/signup/verify', all('passes'), { token: 'nope' }),
  'GET /provider': one('where the provider stands', '/provider', { ...DATA, verified: 'redirect' }),
  'GET /provider/organisation/new': one('form, for an account that has one', '/provider/organisation/new', { ...DATA, verified: 'redirect' }),
  'POST /provider/organisation/new': one('an account that has one', '/provider/organisation/new', { ...DATA, verified: 'redirect' }, { orgCode: 'X1' }),
  'POST /provider/organisation/request-invitation': one('an unknown org code', '/provider/organisation/request-invitation', DATA_WRITE, { vendorId: '00000000-0000-4000-8000-000000000000', orgCode: 'NOSUCH' }),
  'GET /provider/ram-step': one('own organisation', '/provider/ram-step', DATA),
  'POST /provider/ram-step/test': one('no authorisation to test', '/provider/ram-step/test', DATA_WRITE),
  'POST /provider/ram-step/simulate': one('no authorisation', '/provider/ram-step/simulate', DATA_WRITE),
  'GET /provider/organisation': one('own organisation', '/provider/organisation', DATA),
  'POST /provider/organisation/regenerate': one('unconfirmed', '/provider/organisation/regenerate', DATA_WRITE),
  'POST /provider/organisation/revoke': one('unconfirmed', '/provider/organisation/revoke', DATA_WRITE),
  'GET /provider/team': one('own team', '/provider/team', DATA),
  'POST /provider/team/invite': one('a bad address', '/provider/team/invite', DATA_WRITE, { email: 'not an email', role: 'provider_viewer' }),
  'POST /provider/team/members/:id/remove': one('an unknown member', '/provider/team/members/00000000-0000-4000-8000-000000000000/remove', DATA_WRITE),
  'GET /team/accept': one('an unknown invitation', '/team/accept?token=nope', all('passes')),
  'POST /team/accept': one('an unknown invitation', '/team/accept', all('passes'), { token: 'nope', name: 'X', password: 'long enough passphrase' }),
  // The support console (web/support/): support and platform staff only. The verified caller is a provider admin, so
  // every page is refused before it reads anything (test/web/support-console.e2e.spec.ts signs support staff in).
  'GET /support': one('a provider user', '/support', STAFF_ONLY),
  'GET /support/audit': one('a provider user', '/support/audit', STAFF_ONLY),
  'POST /support/audit': one('a provider user', '/support/audit', STAFF_ONLY, { usi: 'ABCDE12345' }),
  'GET /support/audit/export.csv': one('a provider user', '/support/audit/export.csv', STAFF_ONLY),
  'POST /support/audit/export.csv': one('a provider user', '/support/audit/export.csv', STAFF_ONLY, { usi: 'ABCDE12345' }),
  'GET /support/requests/:requestId': one('a provider user', '/support/requests/any-request', STAFF_ONLY),
  'GET /support/requests/:requestId/raw/:exchangeId': one('a provider user', '/support/requests/r/raw/00000000-0000-4000-8000-000000000000', STAFF_ONLY),
  'GET /support/chains': one('a provider user', '/support/chains?run=1', STAFF_ONLY),
  'GET /support/charts': one('a provider user', '/support/charts', STAFF_ONLY),
  'GET /support/providers': one('a provider user', '/support/providers?q=VA1802', STAFF_ONLY),
  // The vendor console (web/vendor/): the verified caller is a provider admin, which no vendor page admits (403 from
  // the access policy); test/web/vendor-console.e2e.spec.ts walks them as a vendor admin and a vendor developer.
  'GET /vendor': one('overview', '/vendor', VENDOR),
  'GET /vendor/credential': one('machine credential', '/vendor/credential', VENDOR),
  'POST /vendor/credential/upload': one('no file', '/vendor/credential/upload', VENDOR),
  'POST /vendor/credential/upload/confirm': one('no keystore', '/vendor/credential/upload/confirm', VENDOR, { credentialId: 'x', password: 'x' }),
  'POST /vendor/credential/:id/check': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/check', VENDOR),
  'POST /vendor/credential/:id/delete': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/delete', VENDOR),
  'GET /vendor/credential/:id/revoke': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/revoke', VENDOR),
  'POST /vendor/credential/:id/revoke': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/revoke', VENDOR, { confirm: 'yes' }),
  'GET /vendor/credential/:id/activate': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/activate', VENDOR),
  'POST /vendor/credential/:id/activate': one('an unknown credential', '/vendor/credential/00000000-0000-4000-8000-000000000000/activate', VENDOR, { confirm: 'yes' }),
  'GET /vendor/api-keys': one('list', '/vendor/api-keys', VENDOR),
  'POST /vendor/api-keys': one('bad input', '/vendor/api-keys', VENDOR, { name: '' }),
  'GET /vendor/api-keys/:id/revoke': one('an unknown key', '/vendor/api-keys/00000000-0000-4000-8000-000000000000/revoke', VENDOR),
  'POST /vendor/api-keys/:id/revoke': one('an unknown key', '/vendor/api-keys/00000000-0000-4000-8000-000000000000/revoke', VENDOR),
  'GET /vendor/providers': one('list', '/vendor/providers', VENDOR),
  'GET /vendor/providers/:orgCode': one('an unknown org code', '/vendor/providers/NOSUCH', VENDOR),
  'POST /vendor/providers/invite': one('a bad address', '/vendor/providers/invite', VENDOR, { email: 'not an email', orgCode: '' }),
  'POST /vendor/providers/invitations/:id/resend': one('an unknown invitation', '/vendor/providers/invitations/00000000-0000-4000-8000-000000000000/resend', VENDOR),
  'POST /vendor/providers/invitations/:id/cancel': one('an unknown invitation', '/vendor/providers/invitations/00000000-0000-4000-8000-000000000000/cancel', VENDOR),
  'GET /vendor/team': one('own team', '/vendor/team', VENDOR),
  'POST /vendor/team/invite': one('a bad address', '/vendor/team/invite', VENDOR, { email: 'not an email', role: 'vendor_developer' }),
  'POST /vendor/team/members/:id/remove': one('an unknown member', '/vendor/team/members/00000000-0000-4000-8000-000000000000/remove', VENDOR),
  'GET /vendor/webhooks': one('endpoints', '/vendor/webhooks', VENDOR),
  'POST /vendor/webhooks': one('bad input', '/vendor/webhooks', VENDOR, { url: 'not a url', eventTypes: 'credential.expired' }),
  'GET /vendor/webhooks/:id': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000', VENDOR),
  'POST /vendor/webhooks/:id': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000', VENDOR, { url: 'https://hooks.example.com/x', eventTypes: 'credential.expired' }),
  'POST /vendor/webhooks/:id/enable': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/enable', VENDOR),
  'POST /vendor/webhooks/:id/disable': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/disable', VENDOR),
  'POST /vendor/webhooks/:id/rotate-secret': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret', VENDOR),
  'GET /vendor/webhooks/:id/delete': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/delete', VENDOR),
  'POST /vendor/webhooks/:id/delete': one('an unknown endpoint', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/delete', VENDOR),
  'POST /vendor/webhooks/:id/deliveries/:deliveryId/redeliver': one('an unknown delivery', '/vendor/webhooks/00000000-0000-4000-8000-000000000000/deliveries/00000000-0000-4000-8000-000000000000/redeliver', VENDOR),
  'GET /vendor/jobs': one('recent jobs, read only', '/vendor/jobs', VENDOR),
  'GET /vendor/join': one('an unknown invitation', '/vendor/join?token=nope', all('passes')),
  'POST /vendor/join': one('an unknown invitation', '/vendor/join', all('passes'), { token: 'nope', name: 'X', password: 'long enough passphrase' }),
  'GET /provider/invitation': one("an unknown vendor's invitation", '/provider/invitation?token=nope', all('passes')),
  // Development only (not registered in production: test/web/dev-mailbox-production.e2e.spec.ts).
  'GET /dev/mailbox': one('list', '/dev/mailbox', all('page')),
  'GET /dev/mailbox/:id': one('an unknown message', '/dev/mailbox/00000000-0000-4000-8000-000000000000', all('passes')),
};
