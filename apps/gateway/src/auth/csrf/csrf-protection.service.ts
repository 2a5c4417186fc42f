import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../../common/errors/app-error';
import { CsrfTokens } from './csrf-token';
import { isSameOriginBrowserRequest } from './same-origin';

export const CSRF_HEADER = 'x-csrf-token';
/** The hidden form field a server-rendered form carries the token in. */
export const CSRF_FORM_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The defence against cross-site requests made with a user's session cookie (API keys are never sent by a browser on
 * its own, so they are not concerned). A state-changing request authenticated by the cookie passes with the session's
 * CSRF token, or — on JSON API routes — when the browser itself says it is same-origin.
 */
@Injectable()
export class CsrfProtection {
  constructor(private readonly tokens: CsrfTokens) {}

  /** What login and `GET /v1/auth/csrf` hand to the browser. */
  tokenFor(sessionToken: string): string {
    return this.tokens.tokenFor(sessionToken);
  }

  /** 403 `auth.csrf` unless the request is safe, carries the token, or (when allowed) is same-origin. */
  assert(req: Request, sessionToken: string, options: { originCheck: boolean }): void {
    if (SAFE_METHODS.has(req.method)) return;
    if (this.tokens.matches(sessionToken, candidateOf(req))) return;
    if (options.originCheck && isSameOriginBrowserRequest(fetchMetadataOf(req), selfOrigin(req))) return;
    throw new AppError(
      'auth.csrf',
      'A write with a session cookie needs the X-CSRF-Token header (from login or GET /v1/auth/csrf) or must come from the gateway’s own origin',
    );
  }
}

function candidateOf(req: Request): unknown {
  const header = req.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  // Only a urlencoded form is parsed before the guard runs; JSON clients send the header.
  if (!req.is('application/x-www-form-urlencoded')) return undefined;
  const body: unknown = req.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FORM_FIELD] : undefined;
}

function fetchMetadataOf(req: Request): { secFetchSite?: string; origin?: string } {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  return { secFetchSite: typeof site === 'string' ? site : undefined, origin: typeof origin === 'string' ? origin : undefined };
}

/** `req.protocol` honours X-Forwarded-Proto only from the trusted (loopback) proxy. */
function selfOrigin(req: Request): string {
  // Stryker disable next-line StringLiteral: Node refuses an HTTP/1.1 request without Host (requireHostHeader), so the fallback is never used.
  return `${req.protocol}://${req.get('host') ?? ''}`;
}
