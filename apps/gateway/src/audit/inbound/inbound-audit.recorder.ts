import { performance } from 'node:perf_hooks';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { GatewayExpressAdapter } from '../../common/http/gateway-express.adapter';
import { ResponseAuditor } from '../../common/request-context/response-auditor';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { requestIdOf } from '../../common/request-context/request-id';
import { PendingAuditEvents } from '../exchange/pending-audit-events';
import { UsiFingerprinter } from '../usi-fingerprint';
import { clientAddressKey } from '../../common/http/client-address';
import { AnonymousFailureAudit } from './anonymous-failure-audit';

const STARTED_AT = Symbol('auditStartedAt');
const RECORDED = Symbol('auditRecorded');
type Tracked = Request & { [STARTED_AT]?: number; [RECORDED]?: true };

/** Probes and the API docs are not tenant activity. */
const UNAUDITED = /^\/(health|metrics|docs)(\/|$)/;

const MAX_USER_AGENT = 200;

const CATCH_ALL = '/{*splat}';

/**
 * Writes the inbound event for one request (a request refused without a principal only when it is its address's
 * first this minute; the rest are counted by AnonymousFailureAudit), in one transaction with the outcomes of the exchanges it made. Only the route pattern is recorded, never the URL or query string,
 * which may carry personal data. A handler's response is recorded before it is written (the adapter's before-reply
 * hook), an error response by the exception filter; a route that writes its own response (`@Res()`, the CSV export)
 * is recorded once the response closes.
 */
@Injectable()
export class InboundAuditRecorder implements ResponseAuditor, OnModuleInit {
  private readonly logger = new Logger(InboundAuditRecorder.name);

  constructor(
    private readonly pending: PendingAuditEvents,
    private readonly tenant: TenantContext,
    private readonly usi: UsiFingerprinter,
    private readonly adapterHost: HttpAdapterHost,
    private readonly anonymousFailures: AnonymousFailureAudit,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as unknown;
    // A standalone application context serves no requests.
    if (adapter === undefined) return;
    if (!(adapter instanceof GatewayExpressAdapter)) {
      throw new Error('The inbound audit needs GatewayExpressAdapter (see create-app.ts) to record each response before it is written');
    }
    adapter.setBeforeReply((req, res, status) => this.recordResponse(req, res, { status }));
  }

  /**
   * Marks when the request arrived (the event carries the gateway's latency) and records a response the route wrote
   * itself once it is complete. A client that leaves early closes the response before the handler returns; that
   * request is recorded by the hook or the filter when the handler ends, so an unfinished response is left to them.
   */
  track(req: Request, res: Response): void {
    (req as Tracked)[STARTED_AT] = performance.now();
    res.once('close', () => {
      if ((req as Tracked)[RECORDED] || !res.writableFinished) return;
      this.recordResponse(req, res, { status: res.statusCode }).catch((err: unknown) =>
        this.logger.error({ err, requestId: requestIdOf(req, res) }, 'audit of request not recorded'),
      );
    });
  }

  async recordResponse(req: Request, res: Response, outcome: { status: number; code?: string }): Promise<void> {
    (req as Tracked)[RECORDED] = true;
    if (UNAUDITED.test(req.path)) return this.pending.appendWith(req);
    const principal = this.tenant.principal;
    const route = (req.route as { path?: string } | undefined)?.path;
    // No route, or only the catch-all that the middleware (this module's included) is mounted on: Nest's 404.
    const routeLabel = route && route !== CATCH_ALL ? `${req.baseUrl}${route}` : '(unmatched)';
    // Refused without a principal: only the address's first such request this minute gets its own event.
    if (!principal && outcome.status >= 400 && outcome.status < 500) {
      const failure = { requestId: requestIdOf(req, res), code: outcome.code ?? `http.${outcome.status}`, route: `${req.method} ${routeLabel}` };
      if (!this.anonymousFailures.admit(clientAddressKey(req.ip), failure)) return this.pending.appendWith(req);
    }
    const fields = this.tenant.auditFields;
    const fingerprint = fields.usi ? this.usi.fingerprint(fields.usi) : undefined;
    const startedAt = (req as Tracked)[STARTED_AT];
    await this.pending.appendWith(req, {
      vendorId: principal?.vendorId ?? null,
      organisationId: fields.organisationId ?? null,
      category: 'inbound',
      type: 'request',
      requestId: requestIdOf(req, res),
      actor: principal?.actorId ?? null,
      operation: fields.operation ?? null,
      outcome: outcome.status < 400 ? 'success' : outcome.status < 500 ? 'client_error' : 'server_error',
      httpStatus: outcome.status,
      errorCode: outcome.code ?? null,
      usiHmac: fingerprint?.hmac ?? null,
      usiMasked: fingerprint?.masked ?? null,
      relatedEventId: null,
      details: {
        method: req.method,
        route: routeLabel,
        ...(principal ? { actorKind: principal.kind, actorRoles: principal.roles } : {}),
        ...(fields.recordCount !== undefined ? { recordCount: fields.recordCount } : {}),
        latencyMs: startedAt === undefined ? null : Math.round((performance.now() - startedAt) * 1000) / 1000,
        clientIp: req.ip ?? null,
        userAgent: (req.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
      },
    });
  }
}
