import type { OutgoingEmail } from '../notifications/email-outbox';

/**
 * The emails of a provider's onboarding. Each carries a single-use link: the one exception to the outbox's "nothing
 * that acts on the account" rule that these messages exist for. The token in it is stored only hashed, expires
 * (VERIFICATION_TTL_SECONDS, INVITATION_TTL_SECONDS), is worthless once used, and the SMTP sender cuts it from the
 * stored copy once sent (email-sender.ts ONE_TIME_LINK_TEMPLATES).
 */
export const VERIFICATION_TTL_SECONDS = 24 * 60 * 60;
export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function email(to: string, vendorId: string | null, template: string, subject: string, paragraphs: string[], link?: string): OutgoingEmail {
  const body = [...paragraphs, '— USI Gateway'];
  return {
    to,
    vendorId,
    template,
    subject,
    text: body.join('\n\n') + '\n',
    html: body.map((p) => (link && p === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(p)}</p>`)).join('\n'),
  };
}

export function verificationEmail(to: string, name: string, link: string): OutgoingEmail {
  return email(to, null, 'provider.verify_email', 'Confirm your email address for USI Gateway', [
    `Hello ${name},`,
    'Open this link to confirm your email address and finish creating your USI Gateway account. It works once, for 24 hours:',
    link,
    'If you did not sign up, ignore this email: without the confirmation the account cannot be used.',
  ], link);
}

export function invitationEmail(to: string, inviter: { email: string }, organisation: { legalName: string; orgCode: string }, role: string, vendorId: string, link: string): OutgoingEmail {
  const what = role === 'provider_admin' ? 'an administrator' : 'a viewer (read only)';
  return email(to, vendorId, 'provider.team_invitation', `You are invited to ${organisation.legalName} on USI Gateway`, [
    'Hello,',
    `${inviter.email} invites you to join ${organisation.legalName} (organisation code ${organisation.orgCode}) on USI Gateway as ${what}.`,
    'Open this link to choose your password and set up your own sign-in. It works once, for 7 days:',
    link,
    'If you were not expecting this, ignore this email.',
  ], link);
}

export function invitationRequestEmail(to: string, requester: { name: string; email: string }, orgCode: string, vendorId: string): OutgoingEmail {
  return email(to, vendorId, 'provider.invitation_request', `${requester.name} asks to join organisation ${orgCode} on USI Gateway`, [
    'Hello,',
    `${requester.name} (${requester.email}) tried to register organisation ${orgCode} on USI Gateway, where your organisation already is, and asks you for an invitation.`,
    'If you know them, invite them from your organisation’s Team page. If not, there is nothing to do: they have no access.',
  ]);
}
