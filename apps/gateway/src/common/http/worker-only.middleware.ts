import type { NextFunction, Request, Response } from 'express';

const WORKER_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * A `ROLE=worker` process answers only health and metrics: load balancers and Prometheus watch it, but no API request
 * (and so no tenant data) can reach it through HTTP. Everything else is 404 before any guard runs.
 */
export function workerOnly(req: Request, res: Response, next: NextFunction): void {
  if (WORKER_PATHS.test(req.url)) return next();
  res.status(404).type('application/problem+json').json({
    type: 'about:blank',
    title: 'Not found',
    status: 404,
    code: 'request.not_found',
    detail: 'This is a worker process: it serves /health and /metrics only.',
  });
}
