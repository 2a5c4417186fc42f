import { Injectable, Logger } from '@nestjs/common';
import type { ExchangeFinished, ExchangeObserver, ExchangeStarted } from '@usi/client';
import type { EntityManager } from 'typeorm';
import type { VendorId } from '../database/vendor-id';
import { AuditRepository } from './audit.repository';
import { AuditEventInput, EMPTY_AUDIT_FIELDS, StoredAuditEvent } from './audit.types';
import { PendingAuditEvents } from './exchange/pending-audit-events';
import { RawExchangeStore } from './raw/raw-exchange.store';
import { UsiFingerprinter } from './usi-fingerprint';
import { SecurityEvent, SecurityEvents } from '../common/security-events/security-events';

export interface ExchangeAuditContext {
  requestId: string;
  vendorId: VendorId;
  organisationId?: string;
  environment: string;
  usi?: string;
  recordCount?: number;
  /**
   * The call changes nothing upstream (a verify, a search, reference data). Its exchanges are sent as soon as their
   * `started` row has been handed to Postgres instead of once it has committed; the commit is still awaited before
   * the outcome is returned, so no response goes out for an exchange that is not on record.
   */
  readOnly?: boolean;
  /** Which credential signed the call's token request (its certificate's SHA-1 fingerprint, never the key) and how. */
  credential?: { sha1Fingerprint: string; connectionMode: string };
}


/** Upstream messages are stored for support; the cap keeps a hostile upstream from bloating the trail. */
const MAX_MESSAGE = 500;

@Injectable()
export class AuditService implements SecurityEvents {
  // Nest's Logger is routed to pino by the app; @InjectPinoLogger depends on module import order.
  private readonly logger = new Logger(AuditService.name);
  constructor(
    private readonly repository: AuditRepository,
    private readonly usi: UsiFingerprinter,
    private readonly pending: PendingAuditEvents,
    private readonly raw: RawExchangeStore,
  ) {}

  /**
   * `started` is awaited by the client before it sends, so it is durable before the upstream call; if it cannot be
   * written the call is not made. For a read-only call (`ctx.readOnly`) it resolves once the row has been handed to
   * Postgres, which then commits it even if this process dies next; `finished` waits for that commit and fails the
   * call if it failed. Within an HTTP request `finished` waits for the request's inbound event and commits
   * with it before the response (PendingAuditEvents); elsewhere it is written at once. A failed `finished` write is
   * logged, not thrown: the upstream work is done and its `started` row already shows an exchange whose outcome is
   * unknown.
   */
  exchangeObserver(ctx: ExchangeAuditContext): ExchangeObserver {
    const fingerprint = ctx.usi ? this.usi.fingerprint(ctx.usi) : undefined;
    const common = {
      ...EMPTY_AUDIT_FIELDS,
      vendorId: ctx.vendorId,
      organisationId: ctx.organisationId ?? null,
      category: 'exchange' as const,
      requestId: ctx.requestId,
      usiHmac: fingerprint?.hmac ?? null,
      usiMasked: fingerprint?.masked ?? null,
    };
    // Request XML waits here for its response when raw retention is on; USI exchanges only (STS carries key material).
    const rawRequests = new Map<string, string>();
    // Commits of read-only exchanges' `started` rows, still running while their calls are in flight.
    const startsCommitting = new Map<string, Promise<unknown>>();
    // Exchanges whose `started` row failed to commit: their outcome would reference a row that does not exist.
    const startsLost = new Set<string>();
    return {
      started: async (e: ExchangeStarted) => {
        if (this.raw.retentionDays > 0 && e.kind === 'usi' && e.requestXml !== undefined) rawRequests.set(e.id, e.requestXml);
        const event: AuditEventInput = {
          ...common,
          id: e.id,
          type: 'started',
          operation: e.operation,
          outcome: 'started',
          details: compact({
            kind: e.kind,
            endpoint: e.endpoint,
            environment: ctx.environment,
            attempt: e.attempt,
            requestSha256: e.requestSha256,
            tokenCacheHit: e.tokenCacheHit,
            recordCount: ctx.recordCount,
            credentialFingerprint: ctx.credential?.sha1Fingerprint,
            connectionMode: ctx.credential?.connectionMode,
          }),
        };
        if (!ctx.readOnly) {
          await this.repository.append(event);
          return;
        }
        const { handedOver, stored } = this.repository.appendHandedOver(event);
        // Awaited by `finished`; until then a rejection must not count as unhandled.
        stored.catch(() => undefined);
        startsCommitting.set(e.id, stored);
        await Promise.race([handedOver, stored]);
      },
      finished: async (e: ExchangeFinished) => {
        if (startsLost.has(e.id)) return;
        const startCommitting = startsCommitting.get(e.id);
        startsCommitting.delete(e.id);
        try {
          await startCommitting;
        } catch (err) {
          startsLost.add(e.id);
          throw err;
        }
        // CreateUSI: the USI the registry returned, so a search by it finds the request that created it.
        const issued = e.issuedUsi ? this.usi.fingerprint(e.issuedUsi) : undefined;
        const event: AuditEventInput = {
          ...common,
          ...(issued ? { usiHmac: issued.hmac, usiMasked: issued.masked } : {}),
          type: e.outcome,
          operation: e.operation,
          outcome: e.outcome,
          httpStatus: e.httpStatus ?? null,
          errorCode: e.error?.code ?? null,
          relatedEventId: e.id,
          details: compact({
            kind: e.kind,
            environment: ctx.environment,
            durationMs: Math.round(e.durationMs * 1000) / 1000,
            credentialFingerprint: ctx.credential?.sha1Fingerprint,
            responseSha256: e.responseSha256,
            outcome: e.summary && compact({ ...e.summary }),
            upstreamCode: e.error?.upstreamCode,
            upstreamTitle: e.error?.title?.slice(0, MAX_MESSAGE),
            upstreamMessage: e.error?.message.slice(0, MAX_MESSAGE),
          }),
        };
        await this.retainRaw(ctx, e, rawRequests);
        if (this.pending.defer(event)) return;
        try {
          await this.repository.append(event);
        } catch (err) {
          this.logger.error({ err, requestId: ctx.requestId, exchangeId: e.id }, 'audit of exchange outcome not recorded');
        }
      },
    };
  }

  /**
   * Outside a request, the exchange outcomes of the calls run in a CLS context holding this store entry are kept in
   * `into` instead of written: the caller commits them with its own change (`appendHeld`), as a request commits them
   * with its inbound event. A job batch's outcome thus costs no transaction of its own.
   */
  holdOutcomesIn(into: AuditEventInput[]): Record<string, AuditEventInput[]> {
    return this.pending.holdIn(into);
  }

  /** Appends held outcomes: in `m`'s transaction when given (with the caller's change), otherwise on their own. */
  async appendHeld(events: AuditEventInput[], m?: EntityManager): Promise<void> {
    await this.repository.appendAll(events.splice(0), m);
  }

  /** With `m`, the event commits (or rolls back) with the change it records, in that transaction. */
  async recordSecurityEvent(e: SecurityEvent, m?: EntityManager): Promise<void> {
    await this.repository.appendAll([{
      ...EMPTY_AUDIT_FIELDS,
      vendorId: e.vendorId ?? null,
      organisationId: e.organisationId ?? null,
      category: 'security',
      type: e.type,
      actor: e.actor?.actorId ?? null,
      outcome: 'recorded',
      details: compact({ ...e.details, actorRoles: e.actor?.roles.length ? e.actor.roles : undefined }),
    }], m);
  }

  /**
   * The USIs a bulk exchange handed back (BulkUploadRetrieve: one per application created or matched), as CreateUSI's
   * exchange records its one: an `exchange` event per USI with its HMAC and masked form only, so a search by USI finds
   * the job and batch (`requestId`) that created it. Never the USI in clear, nor the person.
   */
  async recordIssuedUsis(
    ctx: { vendorId: VendorId; organisationId: string; requestId: string; operation: string },
    issued: { usi: string; result: string }[],
  ): Promise<void> {
    if (!issued.length) return;
    await this.repository.appendAll(
      issued.map(({ usi, result }) => {
        const fingerprint = this.usi.fingerprint(usi);
        return {
          ...EMPTY_AUDIT_FIELDS,
          vendorId: ctx.vendorId,
          organisationId: ctx.organisationId,
          category: 'exchange' as const,
          type: 'usi.issued',
          requestId: ctx.requestId,
          operation: ctx.operation,
          outcome: result,
          usiHmac: fingerprint.hmac,
          usiMasked: fingerprint.masked,
          details: {},
        };
      }),
    );
  }

  /** Best effort: a failure is logged (without the XML) and never fails the call the exchange served. */
  private async retainRaw(ctx: ExchangeAuditContext, e: ExchangeFinished, requests: Map<string, string>): Promise<void> {
    const requestXml = requests.get(e.id);
    if (requestXml === undefined) return;
    requests.delete(e.id);
    try {
      await this.raw.store({
        exchangeId: e.id,
        vendorId: ctx.vendorId,
        organisationId: ctx.organisationId ?? null,
        requestId: ctx.requestId,
        operation: e.operation,
        requestXml,
        responseXml: e.responseXml ?? null,
      });
    } catch (err) {
      this.logger.error({ err, requestId: ctx.requestId, exchangeId: e.id }, 'raw exchange not retained');
    }
  }

  /** The request's own event (see InboundAuditRecorder). */
  append(input: AuditEventInput): Promise<StoredAuditEvent> {
    return this.repository.append(input);
  }
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
