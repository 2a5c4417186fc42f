import { createServer, IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

/** Runs before a handler's result is written; a rejection fails the request as a handler error would. */
export type BeforeReply = (req: Request, res: Response, status: number) => Promise<void>;

const HOOKED = Symbol('beforeReplyRan');

/**
 * Express 5 gives every request its API by moving `req` and `res` onto its prototypes with `Object.setPrototypeOf`
 * (`app.handle`). V8 pays for that on every request: on a bare Express app (`npm run bench:express`) 28 KB allocated
 * per request instead of 12 KB, 8.5 KB of it promoted to the old generation instead of none, and a mark-compact every
 * few thousand requests instead of none. So the HTTP server builds `req` and `res` from classes whose prototypes are
 * Express's, and Express's own `setPrototypeOf` finds the prototype already in place.
 */
export class GatewayExpressAdapter extends ExpressAdapter {
  private beforeReply?: BeforeReply;

  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    this.httpServer = createServer(expressHttpClasses(this.getInstance<Express>()), this.getInstance());
  }

  /**
   * Work that must finish before any handler's response is written (the inbound audit event). A hook here rather
   * than a global Nest interceptor: with any global interceptor, Nest wraps every handler call in
   * `AsyncResource.bind`, whose deprecation wrappers (Node 20-22) are made with `Object.setPrototypeOf`, and V8 then
   * keeps each request's whole object graph alive until a full GC.
   */
  setBeforeReply(hook: BeforeReply): void {
    if (this.beforeReply) throw new Error('GatewayExpressAdapter: a before-reply hook is already set');
    this.beforeReply = hook;
  }

  /** The hook runs once per response: an error reply after a failed hook (Nest's own exception filter) goes out as it is. */
  override reply(response: Response & { [HOOKED]?: true }, body: unknown, statusCode?: number): unknown {
    const hook = this.beforeReply;
    if (!hook || response[HOOKED]) return super.reply(response, body, statusCode);
    response[HOOKED] = true;
    // Nest sets the route's status before the handler runs and passes none here; a handler may have changed it.
    return hook(response.req, response, statusCode ?? response.statusCode).then(() => super.reply(response, body, statusCode));
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
