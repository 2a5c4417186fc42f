import { Inject, Injectable, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../common/clock';
import type { VendorId } from '../database/vendor-id';
import type { ExchangeKind } from '@usi/client';
import { USI_UPSTREAM, UsiUpstream } from '../upstream/usi-upstream';
import { ActiveCredentialRow, StatusRepository } from './status.repository';
import { CredentialStatus, EnvironmentStatus, PlatformStatus, VendorStatus } from './status.types';

const DAY_MS = 86_400_000;
const SOONEST = 20;
export const STATISTICS_SOURCE =
  'in memory, this gateway instance, sliding 15-minute window of STS and USI exchanges (reset on restart; the audit trail keeps every exchange)';

@Injectable()
export class StatusService {
  private readonly clock: Clock;

  constructor(
    @Inject(USI_UPSTREAM) private readonly upstream: UsiUpstream,
    private readonly repository: StatusRepository,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  async vendor(vendorId: VendorId): Promise<VendorStatus> {
    const row = await this.repository.activeCredential(vendorId);
    return {
      generatedAt: this.clock().toISOString(),
      statistics: STATISTICS_SOURCE,
      environments: [this.environment()],
      credential: row ? this.credential(row) : null,
    };
  }

  async platform(): Promise<PlatformStatus> {
    const { active, vendorsWithout } = await this.repository.platformCredentials();
    const views = active.map((row) => ({ ...this.credential(row), vendorId: row.vendorId, vendorName: row.vendorName ?? '' }));
    return {
      generatedAt: this.clock().toISOString(),
      statistics: STATISTICS_SOURCE,
      environments: [this.environment()],
      credentials: {
        active: views.length,
        expired: views.filter((c) => c.expired).length,
        expiringWithin30Days: views.filter((c) => !c.expired && c.daysLeft <= 30).length,
        vendorsWithoutCredential: vendorsWithout,
        soonest: views.slice(0, SOONEST),
      },
    };
  }

  /** The environment this instance is configured for: one today, a list so that a console can show several. */
  private environment(): EnvironmentStatus {
    const { upstream } = this;
    const { version, monitor } = upstream;
    const endpoint = (kind: ExchangeKind, url: string) => ({ url, breaker: upstream.breakers[kind].state, ...monitor.activity(kind) });
    return {
      environment: upstream.environment,
      serviceVersion: { id: version.id, label: version.label, namespace: version.namespace, complete: version.complete },
      appliesTo: upstream.endpoints.appliesTo,
      endpoints: { sts: endpoint('sts', upstream.endpoints.stsUrl), usi: endpoint('usi', upstream.endpoints.usiUrl) },
      clock: monitor.clockStatus(),
      versionOutdatedAt: monitor.lastVersionOutdatedAt?.toISOString() ?? null,
    };
  }

  private credential(row: ActiveCredentialRow): CredentialStatus {
    const notAfter = new Date(row.notAfter);
    const leftMs = notAfter.getTime() - this.clock().getTime();
    return {
      id: row.id,
      credentialId: row.credentialId,
      abn: row.abn,
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor(leftMs / DAY_MS),
      expired: leftMs <= 0,
    };
  }
}
