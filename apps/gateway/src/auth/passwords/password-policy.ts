/**
 * A new password, wherever it is chosen (sign-up, invitation, change, reset): at least 12 characters (issue 15), not
 * one of the passwords every guessing list starts with, and not the account's own email or name. Length beats
 * composition rules (NIST SP 800-63B), so there are none of those.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

/** The most common passwords of 12 characters or more (breach corpora), lower-cased. Short ones fail on length. */
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789abc', 'qwertyuiop123', 'qwertyuiopasdf',
  'password1234', 'password12345', 'password123!', 'passwordpassword', 'iloveyou1234', 'letmein12345',
  'welcome12345', 'welcome123456', 'administrator', 'adminadmin123', 'changeme1234', 'trustno112345',
  'qwerty123456', 'qwerty1234567', 'asdfghjkl123', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'zaq12wsxcde3',
  'monkey123456', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234', 'superman1234',
  'abc123456789', 'abcdefghijkl', 'aaaaaaaaaaaa', '111111111111', '000000000000', 'p@ssw0rd1234',
  'passw0rd1234', 'correcthorsebatterystaple', 'australia123', 'melbourne123', 'sydney123456',
]);

/** What is wrong with a new password, in words for the person choosing it; undefined when it is acceptable. */
export function passwordProblem(password: string, account: { email?: string; name?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'This password is too common: choose another';
  const own = [account.email?.toLowerCase(), account.email?.split('@')[0]?.toLowerCase(), account.name?.toLowerCase()];
  if (own.some((v) => v && v.length >= 4 && lower.includes(v))) return 'Do not use your name or email in the password';
  return undefined;
}
