import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { InboundAuditRecorder } from './inbound-audit.recorder';

/** Every request is tracked from its arrival, so that none leaves without its inbound event. */
@Injectable()
export class InboundAuditMiddleware implements NestMiddleware {
  constructor(private readonly recorder: InboundAuditRecorder) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.recorder.track(req, res);
    next();
  }
}
