import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RamStepService } from '../../providers/ram-step/ram-step.service';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';

/**
 * The RAM step: what to add in RAM, "I have added it" (the connection test), the attempts, and with the simulator
 * only, "Add this notification in the simulated RAM". Each POST redirects back here (the page shows the newest
 * attempt first), or to the organisation's page once the link is active.
 */
@Controller('provider/ram-step')
@WebPage({ roles: ['provider_admin', 'provider_viewer'] })
export class RamStepController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly ram: RamStepService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const view = await this.ram.view(user.principal);
    const canAct = user.roles.includes('provider_admin');
    const notice = req.query.added === '1' ? 'The notification is now in the simulated RAM. Choose "I have added it" to test the connection.' : undefined;
    this.renderer.send(req, res, 'provider/ram-step', { title: 'Link your organisation in RAM', ...view, canAct, notice });
  }

  @Post('test')
  @WebPage({ roles: ['provider_admin'] })
  async test(@CurrentWebUser() user: WebUser): Promise<never> {
    const outcome = await this.ram.test(user.principal);
    throw new WebRedirect(outcome.ok ? '/provider/organisation?linked=1' : '/provider/ram-step#latest-attempt');
  }

  @Post('simulate')
  @WebPage({ roles: ['provider_admin'] })
  async simulate(@CurrentWebUser() user: WebUser): Promise<never> {
    await this.ram.addInSimulatedRam(user.principal);
    throw new WebRedirect('/provider/ram-step?added=1');
  }
}
