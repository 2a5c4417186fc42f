import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendAuditCsv } from '../../audit/review/audit-csv-response';
import { AuditReviewService } from '../../audit/review/audit-review.service';
import { auditScopeOf } from '../../audit/review/audit-scope';
import { RawExchangeService } from '../../audit/raw/raw-exchange.service';
import { UsiFingerprinter } from '../../audit/usi-fingerprint';
import { AppError, NotFoundError } from '../../common/errors/app-error';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { SUPPORT_ROLES } from './support-roles';
import { SupportLookupRepository } from './support-lookup.repository';
import { filterParams, parseSearch, ParsedSearch } from './support-search.form';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The support console's audit pages over the audit API's own service (its filters, scope, cursor, export and the
 * record of every staff read): search, the CSV export of a search, the story of one request and, for
 * `platform_admin`, its retained raw SOAP. A search by USI is a POST, so the USI never sits in an address or a log.
 */
@Controller('support')
@WebPage({ roles: SUPPORT_ROLES })
export class SupportAuditController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly review: AuditReviewService,
    private readonly raw: RawExchangeService,
    private readonly lookup: SupportLookupRepository,
    private readonly usi: UsiFingerprinter,
  ) {}

  @Get()
  home(): void {
    throw new WebRedirect('/support/audit');
  }

  @Get('audit')
  search(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    return this.renderSearch(req, res, user, parseSearch(req.query));
  }

  @Post('audit')
  searchByUsi(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    return this.renderSearch(req, res, user, parseSearch(req.body as Record<string, unknown>));
  }

  @Get('audit/export.csv')
  export(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    return this.sendCsv(req, res, user, parseSearch(req.query));
  }

  @Post('audit/export.csv')
  exportByUsi(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    return this.sendCsv(req, res, user, parseSearch(req.body as Record<string, unknown>));
  }

  @Get('requests/:requestId')
  async request(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('requestId') requestId: string): Promise<void> {
    const story = await this.review.request(user.principal, requestId);
    const vendors = await this.vendorNames(user);
    this.renderer.send(req, res, 'support/request', {
      title: 'Request story',
      nav: 'audit',
      story,
      vendorName: story.vendorId ? (vendors.get(story.vendorId) ?? story.vendorId) : null,
      staff: auditScopeOf(user.principal).kind === 'platform',
    });
  }

  @Get('requests/:requestId/raw/:exchangeId')
  @WebPage({ roles: ['platform_admin'] })
  async rawExchange(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentWebUser() user: WebUser,
    @Param('requestId') requestId: string,
    @Param('exchangeId') exchangeId: string,
  ): Promise<void> {
    if (!UUID.test(exchangeId)) throw new NotFoundError('audit_raw_exchange');
    // The service records this view on the organisation's chain before it decrypts.
    const exchange = await this.raw.fetch(exchangeId, user.principal);
    if (exchange.requestId !== requestId) throw new NotFoundError('audit_raw_exchange');
    res.setHeader('Cache-Control', 'no-store');
    this.renderer.send(req, res, 'support/raw', { title: 'Raw SOAP exchange', nav: 'audit', exchange });
  }

  private async renderSearch(req: Request, res: Response, user: WebUser, parsed: ParsedSearch): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const staff = auditScopeOf(user.principal).kind === 'platform';
    const vendors = staff ? await this.lookup.vendors(auditScopeOf(user.principal)) : [];
    const { usi, ...shown } = parsed.values;
    const base = { title: 'Audit search', nav: 'audit', staff, vendors, values: shown, usiFilter: usi ? this.usi.fingerprint(usi).masked : null };
    const form = { values: shown as Record<string, string>, errors: parsed.errors };
    if (!parsed.query) return this.renderer.send(req, res, 'support/audit', { ...base, form, page: null }, 422);
    try {
      const page = await this.review.search(user.principal, parsed.query);
      const names = new Map(vendors.map((v) => [v.id, v.name]));
      this.renderer.send(req, res, 'support/audit', {
        ...base,
        form,
        page,
        vendorNames: Object.fromEntries(names),
        hidden: filterParams(parsed.values),
        query: new URLSearchParams(filterParams(parsed.values)).toString(),
        byUsi: !!usi,
      });
    } catch (err) {
      const field = err instanceof AppError ? { 'organisation.not_found': 'organisation', 'request.invalid_cursor': 'cursor' }[err.code] : undefined;
      if (!field) throw err;
      const message = err instanceof AppError ? err.message : '';
      this.renderer.send(req, res, 'support/audit', { ...base, form: { values: form.values, errors: [{ field, message }] }, page: null }, 422);
    }
  }

  private async sendCsv(req: Request, res: Response, user: WebUser, parsed: ParsedSearch): Promise<void> {
    if (!parsed.query) return this.renderSearch(req, res, user, parsed);
    const { limit: _limit, cursor: _cursor, ...filter } = parsed.query;
    res.setHeader('Cache-Control', 'no-store');
    await sendAuditCsv(this.review, user.principal, filter, res);
  }

  private async vendorNames(user: WebUser): Promise<Map<string, string>> {
    return new Map((await this.lookup.vendors(auditScopeOf(user.principal))).map((v) => [v.id, v.name]));
  }
}
