import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EXPIRY_WARNING_DAYS, VendorOverviewService } from '../../vendor-console/vendor-overview.service';
import { VENDOR_READERS } from '../../vendor-console/vendor-scope';
import { activityChartSvg } from '../provider/activity-chart';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';

/** The vendor console's first page: providers by status, calls and errors (7 and 30 days), credential, attention. */
@Controller('vendor')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorOverviewController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly overview: VendorOverviewService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const view = await this.overview.overview(user.principal);
    this.renderer.send(req, res, 'vendor/overview', {
      title: 'Vendor console',
      section: 'overview',
      ...view,
      chart7: activityChartSvg(view.last7.days, 'chart-7-days'),
      chart30: activityChartSvg(view.last30.days, 'chart-30-days'),
      warningDays: EXPIRY_WARNING_DAYS,
    });
  }
}
