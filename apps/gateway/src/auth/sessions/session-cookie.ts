import type { CookieOptions } from 'express';

export const SESSION_COOKIE = 'usi_session';

export function sessionCookieOptions(secure: boolean, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(expires ? { expires } : {}) };
}
