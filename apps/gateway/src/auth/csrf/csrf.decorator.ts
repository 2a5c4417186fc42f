import { SetMetadata } from '@nestjs/common';

// Stryker disable next-line StringLiteral: any key works that the guard reads back through this same constant.
export const CSRF_TOKEN_REQUIRED = 'auth:csrf_token_required';

/**
 * For routes outside the JSON API (server-rendered forms): a cookie-authenticated write must carry the CSRF token,
 * and a same-origin `Origin`/`Sec-Fetch-Site` alone is not enough. JSON API routes accept either.
 */
export const RequireCsrfToken = (): ClassDecorator & MethodDecorator => SetMetadata(CSRF_TOKEN_REQUIRED, true);
