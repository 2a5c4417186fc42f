import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { auditScopeOf } from '../../audit/review/audit-scope';
import { PlatformReadsRecorder } from '../../audit/review/platform-reads.recorder';
import { plainReason } from '../../providers/ram-step/connection-reasons';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';
import { SupportLookupRepository } from './support-lookup.repository';
import { SUPPORT_ROLES } from './support-roles';

/**
 * Support lookup (read only): a provider by org code, ABN or part of its name, with its vendor, authorisations and
 * last connection tests in plain words. A staff lookup is recorded on the platform chain and on each vendor's whose
 * providers it showed.
 */
@Controller('support/providers')
@WebPage({ roles: SUPPORT_ROLES })
export class SupportLookupController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly lookup: SupportLookupRepository,
    private readonly reads: PlatformReadsRecorder,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const base = { title: 'Find a provider', nav: 'providers', form: { values: { q }, errors: [] as { field: string; message: string }[] } };
    if (!q) return this.renderer.send(req, res, 'support/providers', { ...base, searched: false, providers: [] });
    if (q.length < 2 || q.length > 200) {
      const errors = [{ field: 'q', message: 'Enter an org code, an ABN or at least 2 letters of the name' }];
      return this.renderer.send(req, res, 'support/providers', { ...base, form: { values: { q }, errors }, searched: false, providers: [] }, 422);
    }
    const scope = auditScopeOf(user.principal);
    await this.reads.recordSearch(user.principal, scope, 'support.provider_lookup', { q });
    const found = await this.lookup.providers(scope, q);
    const byVendor = new Map<string, string[]>();
    for (const p of found) byVendor.set(p.vendorId, [...(byVendor.get(p.vendorId) ?? []), p.organisationId]);
    await this.reads.recordVendorReads(
      user.principal,
      scope,
      'support.provider_lookup',
      { q },
      [...byVendor].map(([vendorId, organisationIds]) => ({ vendorId, organisationIds, events: 0 })),
    );
    const providers = found.map((p) => ({
      ...p,
      authorisations: p.authorisations.map((a) => ({
        ...a,
        tests: a.tests.map((t) => ({ ...t, result: t.ok ? 'Passed' : plainReason(t.code).title })),
      })),
    }));
    this.renderer.send(req, res, 'support/providers', { ...base, searched: true, providers });
  }
}
