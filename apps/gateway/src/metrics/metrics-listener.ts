import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { statusForCode } from '../common/errors/error-status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { hasMetricsToken, METRICS_CONTENT_TYPE } from './metrics-access';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` on a listener of its own when METRICS_PORT is set, so the scrape port can stay inside the private
 * network while the API port faces clients. A bare Node server: it serves `GET /metrics` and nothing else, with the
 * METRICS_TOKEN check when a token is also set, and answers problems in the API's problem+json shape.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `http://host:port` once listening; undefined without METRICS_PORT. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return undefined;
    const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log({ msg: 'metrics listener started', url: this.url });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return problem(res, 'request.not_found', 'No such resource');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return problem(res, 'request.method_not_allowed', 'Only GET /metrics is served here');
    }
    const { token } = this.config.metrics;
    if (token !== undefined && !hasMetricsToken(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return problem(res, 'auth.unauthenticated', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>');
    }
    try {
      const body = await this.metrics.render();
      res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.error({ err }, 'metrics not rendered');
      problem(res, 'internal.error', 'An unexpected error occurred');
    }
  }
}

function problem(res: ServerResponse, code: string, detail: string): void {
  const { status, title } = statusForCode(code);
  const body = { type: `https://usi-gateway.dev/problems/${code}`, title, status, detail, code, requestId: randomUUID() };
  res.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify(body));
}
