import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys for the sign-in machinery, derived from SESSION_SECRET (or, outside production, the master key) with one HKDF
 * label per purpose, so no two uses share a key: TOTP secrets at rest, "remember this device" cookies.
 */
export class SessionKeys {
  private constructor(private readonly ikm: Buffer) {}

  static fromSecret(sessionSecret: string | undefined, masterKey: () => Buffer): SessionKeys {
    return new SessionKeys(sessionSecret ? Buffer.from(sessionSecret, 'utf8') : masterKey());
  }

  key(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.ikm, Buffer.alloc(0), `usi-gateway ${purpose}`, 32));
  }

  /** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url), bound to `context` (the user id) as AAD. */
  seal(purpose: string, plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(purpose: string, sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('SessionKeys: not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), Buffer.from(iv, 'base64url')).setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  mac(purpose: string, value: string): string {
    return createHmac('sha256', this.key(purpose)).update(value).digest('base64url');
  }

  macMatches(purpose: string, value: string, candidate: string): boolean {
    const expected = Buffer.from(this.mac(purpose, value));
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
