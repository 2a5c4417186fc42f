import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditReviewService, ChainsReport } from '../../audit/review/audit-review.service';
import type { BrokenLinkReason } from '../../audit/chain/chain-verifier';
import { auditScopeOf } from '../../audit/review/audit-scope';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';
import { SupportLookupRepository } from './support-lookup.repository';
import { SUPPORT_ROLES } from './support-roles';

const REASONS: Record<BrokenLinkReason, string> = {
  hash_mismatch: 'the row was changed after it was written (its hash no longer matches its content)',
  prev_hash_mismatch: 'the row does not follow the one before it (a row was removed, inserted or reordered)',
  sequence_gap: 'rows are missing from the chain',
  unkeyed_event: 'an unkeyed row where the chain is keyed (a row was forged without the chain key)',
  truncated: 'the chain ends before its signed checkpoint (rows it covered were deleted)',
  head_mismatch: 'the chain ends before its recorded head (rows at the end were removed)',
  key_unavailable: 'the chain key for these rows is not available to check them',
  checkpoint_mismatch: 'the chain disagrees with its signed checkpoint',
};

/**
 * Chain verification: every chain the caller may see (platform, each vendor, each organisation) through the audit
 * API's own `verify` with no parameter, run when asked (the form's button), each with its result and first bad event.
 */
@Controller('support/chains')
@WebPage({ roles: SUPPORT_ROLES })
export class SupportChainsController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly review: AuditReviewService,
    private readonly lookup: SupportLookupRepository,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const run = req.query.run === '1';
    const report = run ? ((await this.review.verify(user.principal, {})) as ChainsReport) : null;
    const vendors = new Map((await this.lookup.vendors(auditScopeOf(user.principal))).map((v) => [v.id, v.name]));
    const chains = (report?.chains ?? []).map((c) => ({
      ...c,
      owner: c.chain === 'platform' ? 'Platform' : c.chain === 'vendor' ? (vendors.get(c.vendorId!) ?? c.vendorId) : `${c.orgCode} (${vendors.get(c.vendorId!) ?? c.vendorId})`,
      reason: c.brokenAt ? (REASONS[c.brokenAt.reason] ?? c.brokenAt.reason) : null,
    }));
    this.renderer.send(req, res, 'support/chains', {
      title: 'Audit chain verification',
      nav: 'chains',
      report,
      chains,
      broken: chains.filter((c) => !c.ok),
      checkedAt: run ? new Date().toISOString() : null,
    });
  }
}
