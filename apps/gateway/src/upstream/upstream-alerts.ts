import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SecurityEvents } from '../common/security-events/security-events';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { MetricsService } from '../metrics/metrics.service';
import type { UsiUpstream } from './usi-upstream';

/** A platform alert is recorded at most once per this period, across all instances. */
export const ALERT_PERIOD_MS = 60 * 60 * 1000;

export const VERSION_OUTDATED_ALERT = 'alert.upstream_version_outdated';

/**
 * Platform alerts about the upstream, recorded as security events on the platform audit chain. The period is kept
 * in `platform_alerts`: the instance whose conditional upsert moves `last_raised_at` records the event, in the same
 * transaction, so several instances seeing the same refusal raise one alert per hour between them.
 */
@Injectable()
export class UpstreamAlerts {
  private readonly logger = new Logger(UpstreamAlerts.name);
  private readonly clock: Clock;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly audit: SecurityEvents,
    private readonly metrics: MetricsService,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /**
   * ErrorInfo 3458: counted every time; alerted once an hour per environment and version. Never throws: the caller
   * is answering a request, whose answer must not depend on the alert being stored (a failure is logged).
   */
  async versionOutdated(upstream: UsiUpstream): Promise<boolean> {
    const { environment, version, endpoints } = upstream;
    this.metrics.upstreamVersionOutdated.inc({ environment, version: version.id });
    upstream.monitor.recordVersionOutdated();
    this.logger.error({ environment, version: version.id }, 'the USI Registry refuses this web-service version (ErrorInfo 3458): upgrade USI Gateway or set USI_SERVICE_VERSION');
    try {
      return await this.raise(`${VERSION_OUTDATED_ALERT}:${environment}:${version.id}`, {
        type: VERSION_OUTDATED_ALERT,
        details: { environment, version: version.id, namespace: version.namespace, endpoint: endpoints.usiUrl, errorInfo: 3458 },
      });
    } catch (err) {
      this.logger.error({ err }, 'platform alert not recorded');
      return false;
    }
  }

  private raise(key: string, event: { type: string; details: Record<string, unknown> }): Promise<boolean> {
    const now = this.clock();
    return this.tx.runUnscoped(async (m) => {
      const moved: unknown[] = await m.query(
        `insert into platform_alerts (alert, last_raised_at) values ($1, $2)
         on conflict (alert) do update set last_raised_at = excluded.last_raised_at
          where platform_alerts.last_raised_at <= excluded.last_raised_at - ($3::int * interval '1 millisecond')
         returning alert`,
        [key, now, ALERT_PERIOD_MS],
      );
      if (moved.length === 0) return false;
      await this.audit.recordSecurityEvent({ ...event, details: { ...event.details, raisedAt: now.toISOString() } }, m);
      return true;
    });
  }
}
