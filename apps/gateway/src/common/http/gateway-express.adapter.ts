import { createServer, IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * Express 5 gives every request its own API by moving `req` and `res` onto its prototypes with
 * `Object.setPrototypeOf` (application.js, `app.handle`). In V8 that turns each request's objects into slow ones:
 * measured on a bare Express app on this Node, 28 KB allocated per request instead of 13 KB, a quarter of it
 * promoted to the old generation and a mark-compact every ~2000 requests, where creating `req` and `res` with
 * Express's prototypes already in place promotes nothing (bench/RESULTS.md, third session). So the HTTP server
 * builds them from classes whose prototypes are Express's, and Express's own `setPrototypeOf` finds the prototype
 * already set.
 */
export class GatewayExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    this.httpServer = createServer(expressHttpClasses(this.getInstance<Express>()), this.getInstance());
  }
}

/** Request and response classes for `app`, made Express's `app.request` / `app.response` prototypes. */
export function expressHttpClasses(app: Express): ServerOptions {
  class ExpressRequest extends IncomingMessage {}
  class ExpressResponse extends ServerResponse {}
  adoptPrototype(ExpressRequest.prototype, app.request);
  adoptPrototype(ExpressResponse.prototype, app.response);
  app.request = ExpressRequest.prototype as unknown as Express['request'];
  app.response = ExpressResponse.prototype as unknown as Express['response'];
  return { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse as typeof ServerResponse };
}

/** `target` takes `source`'s place: the same own properties (Express's `app` link) and the same prototype chain. */
function adoptPrototype(target: object, source: object): void {
  Object.setPrototypeOf(target, Object.getPrototypeOf(source));
  Object.defineProperties(target, Object.getOwnPropertyDescriptors(source));
}
