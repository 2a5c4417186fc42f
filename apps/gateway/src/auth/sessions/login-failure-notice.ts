import type { OutgoingEmail } from '../../notifications/email-outbox';

export const LOGIN_FAILURES_TEMPLATE = 'auth.login_failures';

export interface LoginFailureNotice {
  to: string;
  vendorId: string | null;
  /** Consecutive failed sign-ins since the last successful one. */
  failures: number;
  lastAttemptAt: Date;
  /** Where the latest attempt came from (the client address as the gateway saw it). */
  lastAddress: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The email to an account's owner when failed sign-ins pile up. Facts only (how many, when, from where) and what
 * the gateway does about them; never the passwords tried, and no link to act on: a phishing copy of it would have
 * nothing to imitate.
 */
export function loginFailureNotice(n: LoginFailureNotice): OutgoingEmail {
  const when = n.lastAttemptAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const paragraphs = [
    'Hello,',
    `There have been ${n.failures} failed sign-in attempts on the USI Gateway account ${n.to} since it was last signed in to. ` +
      `The most recent was at ${when} (UTC) from the address ${n.lastAddress}.`,
    'None of them was let in and nothing in the account has changed. Signing in from an address that has signed in to ' +
      'the account before works as usual; other addresses have to wait a little longer after each failure.',
    'If these attempts were not yours, someone may be guessing the password: make sure it is long and used nowhere ' +
      'else. If they were yours, there is nothing to do.',
    '— USI Gateway',
  ];
  return {
    to: n.to,
    vendorId: n.vendorId,
    template: LOGIN_FAILURES_TEMPLATE,
    subject: 'Repeated failed sign-in attempts on your USI Gateway account',
    text: paragraphs.join('\n\n') + '\n',
    html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n'),
  };
}
