import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ORGANISATION_KINDS } from '../../tenancy/organisations/organisation.types';
import { ProviderOrganisationService } from '../../providers/organisation/provider-organisation.service';
import { emptyForm, FormState } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { formStateFrom } from './provider-form';
import { ProviderInvitationService } from '../../vendor-console/provider-invitation.service';
import { PROVIDER_INVITATION_COOKIE } from '../vendor/provider-invitation.controller';

const FIELDS = ['orgCode', 'abn', 'legalName', 'kind', 'vendorId'] as const;

export const KIND_LABELS: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  RTO: 'Registered training organisation (RTO)',
  higher_education: 'Higher education provider',
  tac: 'Tertiary admissions centre',
  vet_related_body: 'VET-related body',
  other: 'Other',
};

/**
 * `/provider` sends a provider to where it stands: no organisation yet → the form; a link not yet proven → the RAM
 * step; otherwise its organisation's page. The form registers the organisation under the chosen vendor.
 */
@Controller('provider')
@WebPage()
export class OrganisationRegistrationController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly organisations: ProviderOrganisationService,
    private readonly invitations: ProviderInvitationService,
  ) {}

  @Get()
  start(@CurrentWebUser() user: WebUser): never {
    if (!user.vendorId && user.roles.length === 0) throw new WebRedirect('/provider/organisation/new');
    throw new WebRedirect('/provider/organisation');
  }

  @Get('organisation/new')
  async form(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Query() query: Record<string, unknown>): Promise<void> {
    this.mustBeNew(user);
    const prefill = await this.organisations.prefill(await this.invited(req, query));
    const values: Record<string, string> = { ...(prefill.vendor ? { vendorId: prefill.vendor.id } : {}), ...(prefill.orgCode ? { orgCode: prefill.orgCode } : {}) };
    await this.render(req, res, emptyForm(values), 200, prefill.vendor?.name);
  }

  @Post('organisation/new')
  async submit(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: unknown): Promise<void> {
    this.mustBeNew(user);
    try {
      const registered = await this.organisations.register(user.principal, body);
      // A vendor's invitation (web/vendor) is used once its provider registers under that vendor.
      const token: unknown = req.cookies?.[PROVIDER_INVITATION_COOKIE];
      if (typeof token === 'string') {
        await this.invitations.redeem(token, registered.vendorId);
        res.clearCookie(PROVIDER_INVITATION_COOKIE, { path: '/provider' });
      }
    } catch (err) {
      const form = formStateFrom(err, body, FIELDS);
      if (!form) throw err;
      const taken = form.errors.some((e) => e.field === 'orgCode' && /already registered/.test(e.message));
      return this.render(req, res, form, 422, undefined, taken);
    }
    // The session still holds the account as it was; the guard reads the account afresh on the next request.
    throw new WebRedirect('/provider/ram-step');
  }

  @Post('organisation/request-invitation')
  async requestInvitation(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Body() body: Record<string, unknown>): Promise<void> {
    await this.organisations.requestInvitation(user.principal, body ?? {});
    this.renderer.send(req, res, 'provider/invitation-requested', { title: 'Request sent' });
  }

  /** The form's pre-fill: the query's (a vendor's link), else an opened vendor invitation's (its cookie). */
  private async invited(req: Request, query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const token: unknown = req.cookies?.[PROVIDER_INVITATION_COOKIE];
    if (query.vendor || typeof token !== 'string') return query;
    const invitation = await this.invitations.peek(token);
    return invitation ? { vendor: invitation.vendorId, orgCode: invitation.orgCode ?? undefined } : query;
  }

  private mustBeNew(user: WebUser): void {
    if (user.vendorId || user.roles.length) throw new WebRedirect('/provider/organisation');
  }

  private async render(req: Request, res: Response, form: FormState, status: number, invitedBy?: string, taken = false): Promise<void> {
    const vendors = await this.organisations.vendors();
    this.renderer.send(req, res, 'provider/organisation-new', { title: 'Register your organisation', form, vendors, kinds: KIND_LABELS, invitedBy, taken }, status);
  }
}
