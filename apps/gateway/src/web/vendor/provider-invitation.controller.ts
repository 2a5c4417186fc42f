import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { PROVIDER_INVITATION_TTL_SECONDS } from '../../vendor-console/vendor-emails';
import { ProviderInvitationService } from '../../vendor-console/provider-invitation.service';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';

/** Remembers an opened provider invitation until the organisation is registered (the link is used then). */
export const PROVIDER_INVITATION_COOKIE = 'usi_provider_invitation';

/**
 * Where a vendor's invitation link lands (signed out or in): who invites, for which org code, and the way on: sign
 * up, or sign in, then the organisation form with the vendor and org code filled in. The link itself is used
 * (single use) when the organisation is registered under that vendor.
 */
@Controller('provider/invitation')
@WebPage({ access: 'anyone' })
export class ProviderInvitationController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly invitations: ProviderInvitationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async land(@Req() req: Request, @Res() res: Response, @Query('token') token: unknown): Promise<void> {
    const invitation = typeof token === 'string' ? await this.invitations.peek(token) : undefined;
    if (invitation && typeof token === 'string') {
      res.cookie(PROVIDER_INVITATION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.secureCookies,
        path: '/provider',
        maxAge: PROVIDER_INVITATION_TTL_SECONDS * 1000,
      });
    }
    const form = invitation ? `/provider/organisation/new?vendor=${encodeURIComponent(invitation.vendorId!)}${invitation.orgCode ? `&orgCode=${encodeURIComponent(invitation.orgCode)}` : ''}` : undefined;
    this.renderer.send(
      req,
      res,
      'provider/invitation',
      { title: invitation ? `${invitation.vendorName} invites you` : 'This invitation does not work', invitation, signInNext: form ? `/login?next=${encodeURIComponent(form)}` : undefined },
      invitation ? 200 : 400,
    );
  }
}
