import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { CLS_REQ, ClsService } from 'nestjs-cls';
import { AuditRepository } from '../audit.repository';
import { AuditEventInput } from '../audit.types';

const PENDING = Symbol('auditPendingEvents');
/** The CLS key of a unit of work outside a request whose outcomes its caller commits with its own change. */
const HELD = 'auditHeldOutcomes';
type WithPending = Request & { [PENDING]?: AuditEventInput[] };

/** Identity fixed at deferral (see `defer`). */
function identified(event: AuditEventInput): AuditEventInput {
  return { ...event, id: event.id ?? randomUUID(), occurredAt: event.occurredAt ?? new Date() };
}

/**
 * Exchange outcomes of an HTTP request wait here and are committed with the request's own inbound event, in one
 * transaction, just before the response is sent: one commit instead of one per event. A crash before that commit
 * leaves each exchange's `started` row without completion, which is exactly "outcome unknown". If no inbound event
 * takes them (an unaudited route, a response path that threw past the recorder) they are written when the response
 * closes; outside a request, or once the response has closed, `defer` refuses and the caller writes at once.
 */
@Injectable()
export class PendingAuditEvents {
  private readonly logger = new Logger(PendingAuditEvents.name);

  constructor(
    private readonly cls: ClsService,
    private readonly repository: AuditRepository,
  ) {}

  defer(event: AuditEventInput): boolean {
    const held = this.cls.isActive() ? this.cls.get<AuditEventInput[] | undefined>(HELD) : undefined;
    if (held) {
      held.push(identified(event));
      return true;
    }
    const req = this.cls.isActive() ? (this.cls.get<Request>(CLS_REQ) as WithPending | undefined) : undefined;
    const res = req?.res;
    if (!req || !res || res.writableEnded || res.destroyed) return false;
    let pending = req[PENDING];
    if (!pending) {
      pending = req[PENDING] = [];
      res.once('close', () => void this.writeLeftovers(req));
    }
    // Identity fixed now: if the combined write fails after Postgres committed it (the connection lost before the
    // answer), the retry of these events alone (appendWith) is the same rows, which the table's key (id, occurred_at)
    // refuses, instead of copies under fresh ids.
    pending.push(identified(event));
    return true;
  }

  /**
   * The CLS store entry that makes `defer` hold a job batch's exchange outcomes in `into` (run the batch's calls
   * within a CLS context holding it). The caller must append them, with its own change in one transaction
   * (`appendAll(events, m)`: a job batch's finish) or on their own; a crash before that leaves their `started`
   * rows, as for a request.
   */
  holdIn(into: AuditEventInput[]): Record<string, AuditEventInput[]> {
    return { [HELD]: into };
  }

  /** Removes and returns what is waiting for this request. */
  take(req: Request): AuditEventInput[] {
    const pending = (req as WithPending)[PENDING];
    return pending ? pending.splice(0) : [];
  }

  /**
   * Appends the waiting events with `last` (the inbound event) in one transaction. If that fails, the waiting events
   * are tried once more on their own, so a bad inbound record cannot take the exchange outcomes down with it.
   */
  async appendWith(req: Request, last?: AuditEventInput): Promise<void> {
    const pending = this.take(req);
    try {
      await this.repository.appendAll(last ? [...pending, last] : pending);
    } catch (err) {
      if (pending.length && last) await this.appendLogged(pending, req);
      throw err;
    }
  }

  private async writeLeftovers(req: Request): Promise<void> {
    const pending = this.take(req);
    if (pending.length) await this.appendLogged(pending, req);
  }

  private async appendLogged(events: AuditEventInput[], req: Request): Promise<void> {
    try {
      await this.repository.appendAll(events);
    } catch (err) {
      this.logger.error({ err, requestId: events[0]?.requestId, count: events.length, method: req.method }, 'audit of exchange outcomes not recorded');
    }
  }
}
