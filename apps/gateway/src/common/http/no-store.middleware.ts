import type { NextFunction, Request, Response } from 'express';

/** The OpenAPI document and Swagger UI: public, the same for everyone, and worth caching. */
const CACHEABLE = /^\/docs(\/|$)/;

/**
 * `Cache-Control: no-store` on every response but the API docs, set before anything can answer: an API key is shown
 * once at creation, a login sets the session, verify and locate results carry personal data, and any other answer
 * (errors included) is tenant data that no browser, proxy or CDN should keep. A default for the whole API rather than
 * per route, so a new route cannot forget it; a route that does want caching sets its own header.
 */
export function noStore(req: Request, res: Response, next: NextFunction): void {
  if (!CACHEABLE.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
}
