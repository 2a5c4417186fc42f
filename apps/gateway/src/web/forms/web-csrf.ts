import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { CSRF_FORM_FIELD } from '../../auth/csrf/csrf-protection.service';
import { CsrfTokens } from '../../auth/csrf/csrf-token';
import { SESSION_COOKIE } from '../../auth/sessions/session-cookie';

/** The pre-session cookie a signed-out form's token is bound to (login, password reset, sign-up). */
export const FORM_COOKIE = 'usi_form';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchroniser tokens for server-rendered forms (hidden `_csrf` field), the same HMAC tokens as the JSON API's
 * (auth/csrf/): bound to the session cookie when there is one, else to a random `usi_form` cookie, so forms shown
 * before sign-in (login itself: login CSRF) are protected too. Every state-changing web request must carry it;
 * a same-origin header alone is not enough here.
 */
@Injectable()
export class WebCsrf {
  constructor(private readonly tokens: CsrfTokens) {}

  /** The token for the forms of this response (sets the pre-session cookie when needed). */
  tokenFor(req: Request, res: Response, secureCookies: boolean): string {
    return this.tokens.tokenFor(this.binding(req) ?? this.newFormCookie(req, res, secureCookies));
  }

  assert(req: Request): void {
    if (SAFE_METHODS.has(req.method)) return;
    const binding = this.binding(req);
    const body: unknown = req.body;
    const candidate = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FORM_FIELD] : undefined;
    if (binding && this.tokens.matches(binding, candidate)) return;
    throw new AppError('auth.csrf', 'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }

  /** What the token is bound to: the session cookie, else the pre-session one. */
  private binding(req: Request): string | undefined {
    const session: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof session === 'string' && session) return session;
    const form: unknown = req.cookies?.[FORM_COOKIE];
    return typeof form === 'string' && form ? `form:${form}` : undefined;
  }

  private newFormCookie(req: Request, res: Response, secure: boolean): string {
    const value = randomBytes(24).toString('base64url');
    res.cookie(FORM_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    // Later templates of the same response bind to it too.
    req.cookies = { ...(req.cookies ?? {}), [FORM_COOKIE]: value };
    return `form:${value}`;
  }
}
