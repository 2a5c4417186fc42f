import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SecurityEvents } from '../common/security-events/security-events';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { asVendorId } from '../database/vendor-id';
import { MetricsService } from '../metrics/metrics.service';
import { ExpiringCredential, ExpiryRepository } from './expiry.repository';

export const CREDENTIAL_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const GAUGE_NAME = 'credential_expires_in_seconds';

export interface ExpirySweep {
  /** Credentials warned about for the first time in this sweep. */
  newlyWarned: ExpiringCredential[];
  expiredAuthorisations: { id: string; vendorId: string; organisationId: string }[];
}

/**
 * The lifecycle facts that change with the calendar rather than with a request: M2M credentials nearing their
 * notAfter (warned once, and visible as a gauge) and authorisations past their end date (status `expired`).
 */
@Injectable()
export class ExpiryService {
  private readonly logger = new Logger(ExpiryService.name);
  private readonly now: Clock;
  private readonly expiresIn: Gauge<'vendor_id'>;

  constructor(
    private readonly repository: ExpiryRepository,
    metrics: MetricsService,
    @Optional() @Inject(CLOCK) clock?: Clock,
    /** Optional only for sweeps run outside the app (tests of the sweep itself); the app always provides it. */
    @Optional() private readonly audit?: SecurityEvents,
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
  }

  /** Active credentials whose certificate ends within `withinDays` (already expired ones included). */
  findExpiring(withinDays: number): Promise<ExpiringCredential[]> {
    return this.repository.activeCredentialsExpiringBefore(new Date(this.now().getTime() + withinDays * DAY_MS));
  }

  async sweep(): Promise<ExpirySweep> {
    const now = this.now();
    const expiring = await this.findExpiring(CREDENTIAL_WARNING_DAYS);
    const marked = new Set(await this.repository.markWarned(expiring.filter((c) => !c.warnedAt).map((c) => c.id), now));
    const newlyWarned = expiring.filter((c) => marked.has(c.id));
    for (const c of newlyWarned) {
      const days = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
      this.logger.warn(
        `M2M credential ${c.credentialId} of vendor ${c.vendorId} expires on ${c.notAfter.toISOString()} (${days} days): upload its renewal`,
      );
      await this.audit?.recordSecurityEvent({
        type: 'credential.expiry_warning',
        vendorId: asVendorId(c.vendorId),
        details: { credentialId: c.id, credentialAlias: c.credentialId, notAfter: c.notAfter.toISOString(), daysLeft: days },
      });
    }

    this.expiresIn.reset();
    for (const c of await this.repository.activeCredentials()) {
      this.expiresIn.set({ vendor_id: c.vendorId }, Math.round((c.notAfter.getTime() - now.getTime()) / 1000));
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
    }
    return { newlyWarned, expiredAuthorisations };
  }
}
