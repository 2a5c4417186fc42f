import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SecurityEvents } from '../common/security-events/security-events';
import { WebhookEvents } from '../common/webhook-events/webhook-events';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { asVendorId } from '../database/vendor-id';
import { MetricsService } from '../metrics/metrics.service';
import { ExpiringCredential, ExpiryRepository } from './expiry.repository';

/** Days before notAfter at which a credential's owner is warned, each once (most urgent first reached wins). */
export const CREDENTIAL_WARNING_DAYS = [60, 30, 7, 1] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const GAUGE_NAME = 'credential_expires_in_seconds';
const ORG_GAUGE_NAME = 'organisation_credential_expires_in_seconds';

export type ExpiryWarningSent = ExpiringCredential & { daysBefore: number; daysLeft: number };

export interface ExpirySweep {
  /** Warnings sent in this sweep (one per credential at most: the threshold just reached). */
  newlyWarned: ExpiryWarningSent[];
  expiredAuthorisations: { id: string; vendorId: string; organisationId: string }[];
}

/** The threshold a credential with `msLeft` to live has reached: the smallest one not below it. */
export function warningThreshold(msLeft: number): number | undefined {
  if (msLeft <= 0) return undefined;
  return [...CREDENTIAL_WARNING_DAYS].sort((a, b) => a - b).find((days) => msLeft <= days * DAY_MS);
}

/**
 * The lifecycle facts that change with the calendar rather than with a request: M2M credentials nearing their
 * notAfter (warned at 60, 30, 7 and 1 days, each once, and visible as gauges) and authorisations past their end
 * date (status `expired`). Once a credential has expired, calls are refused by the credential vault without an
 * STS request.
 */
@Injectable()
export class ExpiryService {
  private readonly logger = new Logger(ExpiryService.name);
  private readonly now: Clock;
  private readonly expiresIn: Gauge<'vendor_id'>;
  private readonly orgExpiresIn: Gauge<'vendor_id' | 'organisation_id'>;

  constructor(
    private readonly repository: ExpiryRepository,
    metrics: MetricsService,
    @Optional() @Inject(CLOCK) clock?: Clock,
    /** Optional only for sweeps run outside the app (tests of the sweep itself); the app always provides it. */
    @Optional() private readonly audit?: SecurityEvents,
    @Optional() private readonly webhooks?: WebhookEvents,
  ) {
    this.now = clock ?? systemClock;
    // Shared per registry: a second sweeper on the same app (tests, a manual run) reports into the same series.
    this.expiresIn =
      (metrics.registry.getSingleMetric(GAUGE_NAME) as Gauge<'vendor_id'> | undefined) ??
      new Gauge({
        name: GAUGE_NAME,
        help: "Seconds until the vendor's active M2M credential expires (negative once expired)",
        labelNames: ['vendor_id'] as const,
        registers: [metrics.registry],
      });
    this.orgExpiresIn =
      (metrics.registry.getSingleMetric(ORG_GAUGE_NAME) as Gauge<'vendor_id' | 'organisation_id'> | undefined) ??
      new Gauge({
        name: ORG_GAUGE_NAME,
        help: "Seconds until an organisation's own active M2M credential (direct mode) expires (negative once expired)",
        labelNames: ['vendor_id', 'organisation_id'] as const,
        registers: [metrics.registry],
      });
  }

  /** Active credentials whose certificate ends within `withinDays` (already expired ones included). */
  findExpiring(withinDays: number): Promise<ExpiringCredential[]> {
    return this.repository.activeCredentialsExpiringBefore(new Date(this.now().getTime() + withinDays * DAY_MS));
  }

  async sweep(): Promise<ExpirySweep> {
    const now = this.now();
    const due = (await this.findExpiring(Math.max(...CREDENTIAL_WARNING_DAYS)))
      .map((c) => ({ ...c, daysBefore: warningThreshold(c.notAfter.getTime() - now.getTime()) }))
      .filter((c): c is ExpiringCredential & { daysBefore: number } => c.daysBefore !== undefined);
    const recorded = await this.repository.recordWarnings(
      due.map((c) => ({ credentialId: c.id, vendorId: c.vendorId, daysBefore: c.daysBefore })),
      now,
    );
    const sent = new Set(recorded.map((w) => `${w.credentialId}:${w.daysBefore}`));
    const newlyWarned = due
      .filter((c) => sent.has(`${c.id}:${c.daysBefore}`))
      .map((c) => ({ ...c, daysLeft: Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS) }));
    for (const c of newlyWarned) await this.warn(c);
    await this.announceExpired(now);

    this.expiresIn.reset();
    this.orgExpiresIn.reset();
    for (const c of await this.repository.activeCredentials()) {
      const seconds = Math.round((c.notAfter.getTime() - now.getTime()) / 1000);
      if (c.organisationId) this.orgExpiresIn.set({ vendor_id: c.vendorId, organisation_id: c.organisationId }, seconds);
      else this.expiresIn.set({ vendor_id: c.vendorId }, seconds);
    }

    const expiredAuthorisations = await this.repository.expireEndedAuthorisations(now.toISOString().slice(0, 10));
    if (expiredAuthorisations.length) this.logger.log(`${expiredAuthorisations.length} authorisation(s) past their end date are now expired`);
    for (const a of expiredAuthorisations) {
      await this.audit?.recordSecurityEvent({
        type: 'authorisation.expired',
        vendorId: asVendorId(a.vendorId),
        organisationId: a.organisationId,
        details: { authorisationId: a.id, reason: 'end_date', asOf: now.toISOString().slice(0, 10) },
      });
      await this.webhooks?.emit(asVendorId(a.vendorId), 'authorisation.expired', {
        authorisationId: a.id,
        organisationId: a.organisationId,
        status: 'expired',
      });
    }
    return { newlyWarned, expiredAuthorisations };
  }

  /**
   * `credential.expired` for active credentials past their notAfter. The sweep sees them on every run; the event's
   * dedupe key makes it once per credential.
   */
  private async announceExpired(now: Date): Promise<void> {
    if (!this.webhooks) return;
    for (const c of await this.findExpiring(0)) {
      if (c.notAfter > now) continue;
      await this.webhooks.emit(
        asVendorId(c.vendorId),
        'credential.expired',
        { credentialId: c.id, organisationId: c.organisationId ?? null, notAfter: c.notAfter.toISOString() },
        { dedupeKey: `credential.expired:${c.id}` },
      );
    }
  }

  /**
   * One warning: to the vendor's admins (no email outbox exists in this gateway yet, so the log carries it) and an
   * audit security event on the owner's chain. The renewal steps are at GET /v1/credentials/{id}/renewal.
   */
  private async warn(c: ExpiryWarningSent): Promise<void> {
    const owner = c.organisationId ? `organisation ${c.organisationId} of vendor ${c.vendorId}` : `vendor ${c.vendorId}`;
    this.logger.warn(
      `M2M credential ${c.credentialId} of ${owner} expires on ${c.notAfter.toISOString()} (${c.daysLeft} days): ` +
        `upload its renewal (steps: GET /v1/credentials/${c.id}/renewal) [${c.daysBefore}-day warning, to the vendor's admins]`,
    );
    await this.audit?.recordSecurityEvent({
      type: 'credential.expiry_warning',
      vendorId: asVendorId(c.vendorId),
      ...(c.organisationId ? { organisationId: c.organisationId } : {}),
      details: {
        credentialId: c.id,
        credentialAlias: c.credentialId,
        notAfter: c.notAfter.toISOString(),
        daysLeft: c.daysLeft,
        daysBefore: c.daysBefore,
      },
    });
    await this.webhooks?.emit(asVendorId(c.vendorId), 'credential.expiring', {
      credentialId: c.id,
      organisationId: c.organisationId ?? null,
      notAfter: c.notAfter.toISOString(),
      daysLeft: c.daysLeft,
    });
  }
}
