import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CreationJobsService } from '../../creation-jobs/creation-jobs.service';
import type { JobView } from '../../jobs/bulk-jobs.service';
import { VerificationJobsService } from '../../verification-jobs/verification-jobs.service';
import { VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';

/** Jobs of each kind shown: the most recent, newest first (older ones are listed by the API, page by page). */
const RECENT_JOBS = 50;

type ConsoleJob = JobView & { kind: 'verification' | 'creation' };

/**
 * The vendor's recent bulk jobs across its organisations, read only (issue 16): started, followed and read through
 * the API (`/v1/organisations/{orgCode}/verification-jobs`, `…/creation-jobs`). Counts and states only, no personal data.
 */
@Controller('vendor/jobs')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorJobsController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly verification: VerificationJobsService,
    private readonly creation: CreationJobsService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const [verification, creation] = await Promise.all([this.verification.recent(vendorId, RECENT_JOBS), this.creation.recent(vendorId, RECENT_JOBS)]);
    const jobs: ConsoleJob[] = [
      ...verification.map((j) => ({ ...j, kind: 'verification' as const })),
      ...creation.map((j) => ({ ...j, kind: 'creation' as const })),
    ].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    this.renderer.send(req, res, 'vendor/jobs', { title: 'Jobs', section: 'jobs', jobs, recent: RECENT_JOBS });
  }
}
