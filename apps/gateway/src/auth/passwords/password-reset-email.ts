import type { OutgoingEmail } from '../../notifications/email-outbox';

export const PASSWORD_RESET_TEMPLATE = 'auth.password_reset';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The reset link email: the link, how long it lasts, and what to do if it was not asked for. */
export function passwordResetEmail(to: string, vendorId: string | null, link: string, validMinutes: number): OutgoingEmail {
  const paragraphs = [
    'Hello,',
    `Someone (we hope you) asked to reset the password of the USI Gateway account ${to}. To choose a new password, open this link within ${validMinutes} minutes:`,
    link,
    'The link works once. Resetting the password signs the account out everywhere.',
    'If you did not ask for this, ignore this email: your password stays as it is.',
    '— USI Gateway',
  ];
  return {
    to,
    vendorId,
    template: PASSWORD_RESET_TEMPLATE,
    subject: 'Reset your USI Gateway password',
    text: paragraphs.join('\n\n') + '\n',
    html: paragraphs.map((p) => (p === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(p)}</p>`)).join('\n'),
  };
}
