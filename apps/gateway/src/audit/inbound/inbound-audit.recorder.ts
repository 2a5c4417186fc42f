import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ResponseAuditor } from '../../common/request-context/response-auditor';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { requestIdOf } from '../../common/request-context/request-id';
import { PendingAuditEvents } from '../exchange/pending-audit-events';
import { UsiFingerprinter } from '../usi-fingerprint';

const STARTED_AT = Symbol('auditStartedAt');
type Timed = Request & { [STARTED_AT]?: number };

/** Probes and the API docs are not tenant activity. */
const UNAUDITED = /^\/(health|metrics|docs)(\/|$)/;

const MAX_USER_AGENT = 200;

/** Marks when the request arrived, so the inbound event carries the gateway's latency. */
export function markRequestStart(req: Request, _res: Response, next: NextFunction): void {
  (req as Timed)[STARTED_AT] = performance.now();
  next();
}

/**
 * Writes the inbound event for one request, in one transaction with the outcomes of the exchanges it made. Only the route pattern is recorded, never the URL or query string,
 * which may carry personal data.
 */
@Injectable()
export class InboundAuditRecorder implements ResponseAuditor {
  constructor(
    private readonly pending: PendingAuditEvents,
    private readonly tenant: TenantContext,
    private readonly usi: UsiFingerprinter,
  ) {}

  async recordResponse(req: Request, res: Response, outcome: { status: number; code?: string }): Promise<void> {
    if (UNAUDITED.test(req.path)) return this.pending.appendWith(req);
    const principal = this.tenant.principal;
    const fields = this.tenant.auditFields;
    const fingerprint = fields.usi ? this.usi.fingerprint(fields.usi) : undefined;
    const startedAt = (req as Timed)[STARTED_AT];
    const route = (req.route as { path?: string } | undefined)?.path;
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
        route: route ? `${req.baseUrl}${route}` : '(unmatched)',
        ...(principal ? { actorKind: principal.kind, actorRoles: principal.roles } : {}),
        ...(fields.recordCount !== undefined ? { recordCount: fields.recordCount } : {}),
        latencyMs: startedAt === undefined ? null : Math.round((performance.now() - startedAt) * 1000) / 1000,
        clientIp: req.ip ?? null,
        userAgent: (req.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
      },
    });
  }
}
