import { Controller, Get, Inject, Optional, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { auditScopeOf } from '../../audit/review/audit-scope';
import { PlatformReadsRecorder } from '../../audit/review/platform-reads.recorder';
import { CLOCK, Clock, systemClock } from '../../common/clock';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';
import { SupportChartsRepository } from './support-charts.repository';
import { horizontalBarsSvg, hourlyCallsSvg } from './support-charts.svg';
import { SUPPORT_ROLES } from './support-roles';

/**
 * Charts from the audit trail over the last 7 days, as server-made SVG with the same numbers in tables: API calls
 * per hour, errors by code and by organisation, p50/p95 upstream latency per operation. A staff view is recorded
 * like any staff read of the trail (platform chain, and each vendor whose rows it counted).
 */
@Controller('support/charts')
@WebPage({ roles: SUPPORT_ROLES })
export class SupportChartsController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly charts: SupportChartsRepository,
    private readonly reads: PlatformReadsRecorder,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  private readonly clock: Clock;

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const scope = auditScopeOf(user.principal);
    const what = { chart: 'support.charts', days: 7 };
    await this.reads.recordSearch(user.principal, scope, 'audit.charted', what);
    const data = await this.charts.charts(scope, this.clock());
    await this.reads.recordVendorReads(user.principal, scope, 'audit.charted', what, data.vendorReads);
    const totals = data.hours.reduce((t, h) => ({ calls: t.calls + h.calls, errors: t.errors + h.errors }), { calls: 0, errors: 0 });
    this.renderer.send(req, res, 'support/charts', {
      title: 'Charts, last 7 days',
      nav: 'charts',
      data,
      totals,
      busiest: [...data.hours].filter((h) => h.calls).sort((a, b) => b.calls - a.calls).slice(0, 10),
      hourly: hourlyCallsSvg('chart-hourly', data.hours),
      byCode: horizontalBarsSvg('chart-codes', 'Errors by code', data.errorsByCode.map((e) => ({ label: e.label, value: e.count }))),
      byOrganisation: horizontalBarsSvg('chart-orgs', 'Errors by organisation', data.errorsByOrganisation.map((e) => ({ label: e.label, value: e.count }))),
      latency: horizontalBarsSvg(
        'chart-latency',
        'p50 and p95 upstream latency per operation, milliseconds',
        data.latency.flatMap((l) => [
          { label: `${l.kind} ${l.operation} p50`.trim(), value: l.p50, unit: ' ms' },
          { label: `${l.kind} ${l.operation} p95`.trim(), value: l.p95, unit: ' ms' },
        ]),
      ),
    });
  }
}
