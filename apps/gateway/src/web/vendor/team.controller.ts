import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { VendorTeamService } from '../../vendor-console/vendor-team.service';
import { canActForVendor, VENDOR_ACTORS, VENDOR_READERS } from '../../vendor-console/vendor-scope';
import { emptyForm, FormState, formValue } from '../forms/form-errors';
import { emailLink, formStateFrom } from '../provider/provider-form';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { vendorFormState } from './vendor-form';

/** The vendor's team: members (with whether each has set up a second factor), invitations by email, removal. */
@Controller('vendor/team')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorTeamController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly team: VendorTeamService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, form: FormState = emptyForm(), status = 200): Promise<void> {
    const members = await this.team.members(user.principal);
    const notice = req.query.invited === '1' ? 'Invitation sent.' : req.query.removed === '1' ? 'Member removed.' : undefined;
    this.renderer.send(req, res, 'vendor/team', { title: 'Team', section: 'team', members, me: user.id, canAct: canActForVendor(user.principal), form, notice }, status);
  }

  @Post('invite')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async invite(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: unknown): Promise<void> {
    try {
      await this.team.invite(user.principal, body, emailLink(this.config.publicBaseUrl, req, '/vendor/join'));
    } catch (err) {
      const form = vendorFormState(err, body, ['email', 'role']);
      if (!form) throw err;
      return this.page(req, res, user, form, 422);
    }
    throw new WebRedirect('/vendor/team?invited=1');
  }

  @Post('members/:id/remove')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async remove(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    await this.team.remove(user.principal, id);
    throw new WebRedirect('/vendor/team?removed=1');
  }
}

/** Accepting a vendor team invitation: the invitee is not signed in; the emailed token is the proof. */
@Controller('vendor/join')
@WebPage({ access: 'anyone' })
export class VendorJoinController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly team: VendorTeamService,
  ) {}

  @Get()
  async form(@Req() req: Request, @Res() res: Response, @Query('token') token: unknown): Promise<void> {
    const invitation = typeof token === 'string' ? await this.team.invitation(token) : undefined;
    this.renderer.send(req, res, 'vendor/join', { title: 'Join your team', token: invitation ? token : '', invitation }, invitation ? 200 : 400);
  }

  @Post()
  async accept(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const token = formValue(body, 'token');
    try {
      await this.team.accept(token, body);
    } catch (err) {
      const form = formStateFrom(err, body, ['name', 'password']) ?? vendorFormState(err, body, ['name', 'password']);
      if (!form) throw err;
      const invitation = await this.team.invitation(token);
      return this.renderer.send(req, res, 'vendor/join', { title: 'Join your team', token: invitation ? token : '', invitation, form }, 422);
    }
    this.renderer.send(req, res, 'provider/verified', { title: 'Your account is ready', next: '/vendor' });
  }
}
