import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The pages' Content-Security-Policy (the app-wide helmet leaves CSP off because Swagger UI at /docs needs inline
 * script): everything from this origin only, no inline script or style at all (the pages need none: no nonces),
 * no plugins, no framing by anyone, forms posting only back here.
 */
export const webContentSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

const frameGuard = helmet.frameguard({ action: 'deny' });

export function webHeaders(req: Request, res: Response, next: NextFunction): void {
  webContentSecurityPolicy(req, res, (err?: unknown) => (err ? next(err) : frameGuard(req, res, next)));
}
