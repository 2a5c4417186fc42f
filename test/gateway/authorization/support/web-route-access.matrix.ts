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
  // Development only (not registered in production: test/web/dev-mailbox-production.e2e.spec.ts).
  'GET /dev/mailbox': one('list', '/dev/mailbox', all('page')),
  'GET /dev/mailbox/:id': one('an unknown message', '/dev/mailbox/00000000-0000-4000-8000-000000000000', all('passes')),
};
