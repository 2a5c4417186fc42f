import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CLS_ID, CLS_REQ, ClsService } from 'nestjs-cls';
import { requestIdOf } from './request-id';

/**
 * Opens the request's CLS context: its id and the request itself. This replaces nestjs-cls's own middleware, which
 * also files every request in a module-level WeakMap whose value, the CLS store, holds the request. V8's scavenger
 * keeps WeakMap values strongly, so that entry kept the whole request (request, response, headers, everything a
 * handler allocated) alive through every minor GC until a full one: each request was promoted to the old generation,
 * and scavenges took 4-5 ms instead of under 1.
 */
@Injectable()
export class RequestScopeMiddleware implements NestMiddleware {
  constructor(private readonly cls: ClsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.cls.runWith({ [CLS_ID]: requestIdOf(req, res), [CLS_REQ]: req }, next);
  }
}
