import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { ProviderActivityService } from '../../providers/activity/provider-activity.service';
import { RamStepService } from '../../providers/ram-step/ram-step.service';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { activityChartSvg } from './activity-chart';
import { KIND_LABELS } from './organisation-registration.controller';

const NOTICES: Record<string, string> = {
  linked: 'The connection test passed: your organisation is linked and its authorisation is active.',
  regenerated: 'A new software ID was generated. The link is broken until you add it in RAM and test again.',
  revoked: 'The authorisation is revoked: your vendor can no longer make USI calls for your organisation.',
};

/** The organisation's page: its authorisation, regenerate/revoke (each confirmed), and the last 30 days of calls. */
@Controller('provider/organisation')
@WebPage({ roles: ['provider_admin', 'provider_viewer'] })
export class OrganisationPageController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly ram: RamStepService,
    private readonly activity: ProviderActivityService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, error?: { action: string; message: string }): Promise<void> {
    const [view, activity] = await Promise.all([this.ram.view(user.principal), this.activity.activity(user.principal)]);
    const notice = Object.keys(NOTICES).find((k) => req.query[k] === '1');
    this.renderer.send(
      req,
      res,
      'provider/organisation',
      {
        title: view.organisation.legalName,
        ...view,
        kindLabel: KIND_LABELS[view.organisation.kind as keyof typeof KIND_LABELS] ?? view.organisation.kind,
        lastAttempt: view.attempts[0],
        activity,
        chart: activityChartSvg(activity.days),
        canAct: user.roles.includes('provider_admin'),
        notice: notice ? NOTICES[notice] : undefined,
        actionError: error,
      },
      error ? 422 : 200,
    );
  }

  @Post('regenerate')
  @WebPage({ roles: ['provider_admin'] })
  regenerate(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: Record<string, unknown>): Promise<void> {
    return this.change(req, res, user, 'regenerate', body);
  }

  @Post('revoke')
  @WebPage({ roles: ['provider_admin'] })
  revoke(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: Record<string, unknown>): Promise<void> {
    return this.change(req, res, user, 'revoke', body);
  }

  private async change(req: Request, res: Response, user: WebUser, action: 'regenerate' | 'revoke', body: Record<string, unknown>): Promise<void> {
    try {
      await this.ram.change(user.principal, action, { confirm: body?.confirm });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'provider.confirmation_required' || err.code === 'authorisation.invalid_transition')) {
        return this.page(req, res, user, { action, message: err.message });
      }
      throw err;
    }
    throw new WebRedirect(action === 'regenerate' ? '/provider/ram-step' : '/provider/organisation?revoked=1');
  }
}
