import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NotFoundError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { ProviderInvitationService } from '../../vendor-console/provider-invitation.service';
import { VendorConsoleRepository } from '../../vendor-console/vendor-console.repository';
import { canActForVendor, VENDOR_ACTORS, VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { emptyForm, FormState } from '../forms/form-errors';
import { emailLink } from '../provider/provider-form';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { vendorFormState } from './vendor-form';

const NOTICES: Record<string, string> = {
  invited: 'Invitation sent.',
  resent: 'A new invitation link was sent; the previous one no longer works.',
  cancelled: 'Invitation cancelled: its link no longer works.',
};

/**
 * The vendor's training providers: the list (org code, ABN, authorisation, software ID, last connection test,
 * calls in 30 days), one provider's page, and invitations by email (single use, 14 days; resend, cancel).
 */
@Controller('vendor/providers')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorProvidersController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly repository: VendorConsoleRepository,
    private readonly invitations: ProviderInvitationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, form: FormState = emptyForm(), status = 200): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const [providers, invitations] = await Promise.all([this.repository.providers(vendorId), this.invitations.list(user.principal)]);
    const notice = Object.keys(NOTICES).find((k) => req.query[k] === '1');
    this.renderer.send(
      req,
      res,
      'vendor/providers',
      { title: 'Providers', section: 'providers', providers, invitations, canAct: canActForVendor(user.principal), form, notice: notice ? NOTICES[notice] : undefined },
      status,
    );
  }

  @Get(':orgCode')
  async provider(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('orgCode') orgCode: string): Promise<void> {
    const vendorId = vendorScope(user.principal);
    if (!/^[A-Za-z0-9]{1,8}$/.test(orgCode)) throw new NotFoundError('organisation');
    const [provider] = await this.repository.providers(vendorId, orgCode);
    if (!provider) throw new NotFoundError('organisation');
    const [authorisations, calls] = await Promise.all([
      this.repository.authorisations(vendorId, provider.id),
      this.repository.recentCalls(vendorId, provider.id),
    ]);
    this.renderer.send(req, res, 'vendor/provider', { title: `${provider.legalName} (${provider.orgCode})`, section: 'providers', provider, authorisations, calls });
  }

  @Post('invite')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async invite(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    try {
      await this.invitations.invite(user.principal, req.body, this.linkFor(req));
    } catch (err) {
      const form = vendorFormState(err, req.body, ['email', 'orgCode']);
      if (!form) throw err;
      return this.list(req, res, user, form, 422);
    }
    throw new WebRedirect('/vendor/providers?invited=1');
  }

  @Post('invitations/:id/resend')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async resend(@Req() req: Request, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    await this.invitations.resend(user.principal, id, this.linkFor(req));
    throw new WebRedirect('/vendor/providers?resent=1');
  }

  @Post('invitations/:id/cancel')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async cancel(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    await this.invitations.cancel(user.principal, id);
    throw new WebRedirect('/vendor/providers?cancelled=1');
  }

  private linkFor(req: Request): (token: string) => string {
    return emailLink(this.config.publicBaseUrl, req, '/provider/invitation');
  }
}
