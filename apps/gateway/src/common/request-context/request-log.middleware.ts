import { performance } from 'node:perf_hooks';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { loggableUrl } from './loggable-url';
import { requestIdOf } from './request-id';

/** Probes are polled every few seconds; a line each would drown the log. */
const QUIET = new Set(['/health/live', '/metrics']);

/**
 * One line per request once its response closes: `request completed`, or `request errored` for a 5xx. In place of
 * pino-http, which builds two loggers per request (a child of a child, so each request's first logger becomes a
 * prototype, which V8 keeps until a full GC) and serialises the whole request into one of them even when nothing is
 * logged. Headers are not logged at all, so no credential can reach this line; the query values of tokens and personal data are withheld.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('http');
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (!QUIET.has(req.url)) {
      const startedAt = performance.now();
      res.once('close', () => this.completed(req, res, startedAt));
    }
    next();
  }

  private completed(req: Request, res: Response, startedAt: number): void {
    const failed = res.statusCode >= 500;
    this.logger.info(
      {
        requestId: requestIdOf(req, res),
        req: { method: req.method, url: loggableUrl(req.originalUrl), remoteAddress: req.ip },
        res: { statusCode: res.statusCode, finished: res.writableFinished },
        responseTime: Math.round(performance.now() - startedAt),
      },
      failed ? 'request errored' : 'request completed',
    );
  }
}
