import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ProviderTeamService } from '../../providers/team/provider-team.service';
import { emptyForm, FormState, formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { emailLink, formStateFrom } from './provider-form';

/** The provider's team: members, invitations by email, removal. Admins act; viewers see the list. */
@Controller('provider/team')
@WebPage({ roles: ['provider_admin', 'provider_viewer'] })
export class TeamController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly team: ProviderTeamService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, form: FormState = emptyForm(), status = 200): Promise<void> {
    const members = await this.team.members(user.principal);
    const notice = req.query.invited === '1' ? 'Invitation sent.' : req.query.removed === '1' ? 'Member removed.' : undefined;
    this.renderer.send(req, res, 'provider/team', { title: 'Your team', members, me: user.id, canAct: user.roles.includes('provider_admin'), form, notice }, status);
  }

  @Post('invite')
  @WebPage({ roles: ['provider_admin'] })
  async invite(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: unknown): Promise<void> {
    try {
      await this.team.invite(user.principal, body, emailLink(this.config.publicBaseUrl, req, '/team/accept'));
    } catch (err) {
      const form = formStateFrom(err, body, ['email', 'role']);
      if (!form) throw err;
      return this.page(req, res, user, form, 422);
    }
    throw new WebRedirect('/provider/team?invited=1');
  }

  @Post('members/:id/remove')
  @WebPage({ roles: ['provider_admin'] })
  async remove(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    await this.team.remove(user.principal, id);
    throw new WebRedirect('/provider/team?removed=1');
  }
}

/** Accepting an invitation: the invitee is not signed in; the emailed token is the proof. */
@Controller('team/accept')
@WebPage({ access: 'anyone' })
export class AcceptInvitationController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly team: ProviderTeamService,
  ) {}

  @Get()
  async form(@Req() req: Request, @Res() res: Response, @Query('token') token: unknown): Promise<void> {
    const invitation = typeof token === 'string' ? await this.team.invitation(token) : undefined;
    this.renderer.send(req, res, 'provider/accept', { title: 'Join your team', token: invitation ? token : '', invitation }, invitation ? 200 : 400);
  }

  @Post()
  async accept(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const token = formValue(body, 'token');
    try {
      await this.team.accept(token, body);
    } catch (err) {
      const form = formStateFrom(err, body, ['name', 'password']);
      if (!form) throw err;
      const invitation = await this.team.invitation(token);
      return this.renderer.send(req, res, 'provider/accept', { title: 'Join your team', token: invitation ? token : '', invitation, form }, 422);
    }
    this.renderer.send(req, res, 'provider/verified', { title: 'Your account is ready' });
  }
}
