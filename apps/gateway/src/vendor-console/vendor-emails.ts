import type { OutgoingEmail } from '../notifications/email-outbox';

/** A provider invitation's lifetime, and a vendor team invitation's. */
export const PROVIDER_INVITATION_TTL_SECONDS = 14 * 24 * 60 * 60;
export const VENDOR_INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function email(to: string, vendorId: string, template: string, subject: string, paragraphs: string[], link: string): OutgoingEmail {
  const body = [...paragraphs, '— USI Gateway'];
  return {
    to,
    vendorId,
    template,
    subject,
    text: body.join('\n\n') + '\n',
    html: body.map((p) => (p === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(p)}</p>`)).join('\n'),
  };
}

/** A training provider invited by its SMS vendor: the single-use link pre-fills the vendor (and the org code). */
export function providerInvitationEmail(to: string, vendor: { id: string; name: string }, orgCode: string | null, link: string): OutgoingEmail {
  return email(to, vendor.id, 'vendor.provider_invitation', `${vendor.name} invites you to connect to the USI Registry through USI Gateway`, [
    'Hello,',
    `${vendor.name}, your student management system vendor, invites you to connect ${orgCode ? `organisation ${orgCode}` : 'your organisation'} to the USI Registry through USI Gateway.`,
    'Open this link to create your account and register your organisation; your vendor is already filled in. It works once, for 14 days:',
    link,
    'If you were not expecting this, ignore this email.',
  ], link);
}

export function vendorTeamInvitationEmail(to: string, inviter: string, vendor: { id: string; name: string }, role: string, link: string): OutgoingEmail {
  const what = role === 'vendor_admin' ? 'an administrator' : 'a developer (read only)';
  return email(to, vendor.id, 'vendor.team_invitation', `You are invited to ${vendor.name} on USI Gateway`, [
    'Hello,',
    `${inviter} invites you to join ${vendor.name} on USI Gateway as ${what}.`,
    'Open this link to choose your password and set up your own sign-in (with a second factor). It works once, for 7 days:',
    link,
    'If you were not expecting this, ignore this email.',
  ], link);
}
