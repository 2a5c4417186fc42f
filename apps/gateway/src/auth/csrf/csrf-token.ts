import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens bound to one session (the HMAC "synchroniser token" pattern without server state): the token is an HMAC
 * of the session cookie's secret, so only a page that could read a response of this session can know it, it dies
 * with the session, and it reveals nothing about the cookie. Framework-free so a server-rendered web module can put
 * the same token in its forms (`_csrf` field).
 */
export class CsrfTokens {
  private constructor(private readonly key: Buffer) {}

  /** From SESSION_SECRET, or (outside production, where it is optional) derived from the master key. */
  static fromSecret(sessionSecret: string | undefined, masterKey: () => Buffer): CsrfTokens {
    // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as utf8.
    const ikm = sessionSecret ? Buffer.from(sessionSecret, 'utf8') : masterKey();
    return new CsrfTokens(Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'usi-gateway csrf token', 32)));
  }

  tokenFor(sessionToken: string): string {
    return createHmac('sha256', this.key).update(sessionToken).digest('base64url');
  }

  matches(sessionToken: string, candidate: unknown): boolean {
    if (typeof candidate !== 'string' || !candidate) return false;
    const expected = Buffer.from(this.tokenFor(sessionToken));
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
