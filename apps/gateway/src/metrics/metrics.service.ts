import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * prom-client's default (10 ms) wakes an idle gateway 100 times a second just to sample the event-loop delay, which
 * on a small VM costs more CPU than a request; a stall still shows, it delays the next sample like any other timer.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * One registry per app instance (not prom-client's global one) so several gateways in one process, as in
 * the e2e suites, do not collide on metric names.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Last clock offset read from an STS answer (server minus gateway): WS-Security timestamps fail beyond ~5 min. */
  readonly upstreamClockOffset = new Gauge({
    name: 'usi_upstream_clock_offset_seconds',
    help: "Upstream clock minus this gateway's clock, from the last STS answer that carried a time",
    labelNames: ['environment', 'endpoint'] as const,
    registers: [this.registry],
  });

  /** ErrorInfo 3458: the registry refused the web-service version spoken. */
  readonly upstreamVersionOutdated = new Counter({
    name: 'usi_upstream_version_outdated_total',
    help: 'USI answers refusing the web-service version as outdated (ErrorInfo 3458)',
    labelNames: ['environment', 'version'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** Labels use the route template (`/v1/organisations/:orgCode`), never the raw URL, to bound cardinality. */
  httpMiddleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.on('finish', () => {
        const template = req.route?.path as string | undefined;
        end({ method: req.method, route: template ? req.baseUrl + template : 'unmatched', status: String(res.statusCode) });
      });
      next();
    };
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
