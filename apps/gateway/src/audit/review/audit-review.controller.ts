import { once } from 'node:events';
import { applyDecorators, Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { RequireRoles, RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { Page } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ZodQuery } from '../../common/validation/zod-body.decorator';
import { StoredAuditEvent } from '../audit.types';
import { ChainVerification } from '../chain/chain-verifier';
import { csvHeader, csvRows } from './audit-csv';
import { auditFilterSchema, AuditFilterQuery, auditSearchSchema, AuditSearchQuery } from './audit-filter';
import { AuditReviewService } from './audit-review.service';
import { AUDIT_PAGE, AUDIT_REQUEST, CHAIN_VERIFICATION } from './audit-review.openapi';

const CSV_HEADER_EXAMPLE = csvHeader().trimEnd();

/** `vendor` (staff only; ignored for a vendor's own callers) picks one registration of an org code several vendors share. */
const verifySchema = z.strictObject({
  organisation: z.string().regex(/^[A-Za-z0-9]{1,20}$/).optional().describe('Verify this organisation’s events only'),
  vendor: z.string().uuid().optional().describe('Platform staff: the vendor whose chain (or whose registration of `organisation`) to verify'),
});

/**
 * Platform staff across vendors (each read recorded on the vendor's chain); vendor admins, vendor support and
 * `audit:read` keys for their vendor; provider admins for their organisation (access-policy.ts, rule 4).
 */
const AuditAccess = () =>
  applyDecorators(
    RequireScopes('audit:read'),
    RequireRoles('platform_support', 'platform_admin', 'support', 'vendor_admin', 'provider_admin'),
  );

@ApiTags('audit')
@Controller('v1/audit')
export class AuditReviewController {
  constructor(private readonly review: AuditReviewService) {}

  @Get('events')
  @AuditAccess()
  @ApiOkResponse({ description: 'Matching events, oldest first, with a cursor to the next page.', ...AUDIT_PAGE })
  @ApiProblem('organisation.not_found')
  @ApiOperation({ summary: 'Search the audit trail', description: 'To review what was done (USI calls, logins, credential changes), filtered and paged, oldest first.' })
  events(@CurrentPrincipal() principal: Principal, @ZodQuery(auditSearchSchema) query: AuditSearchQuery): Promise<Page<StoredAuditEvent>> {
    return this.review.search(principal, query);
  }

  @Get('requests/:requestId')
  @AuditAccess()
  @ApiOkResponse({ description: 'The inbound event and every exchange of one request.', ...AUDIT_REQUEST })
  @ApiProblem('audit_request.not_found')
  @ApiOperation({ summary: 'Everything recorded for one request', description: 'When a caller quotes a `requestId`: its inbound event and every exchange with the Registry.' })
  request(@CurrentPrincipal() principal: Principal, @Param('requestId') requestId: string) {
    return this.review.request(principal, requestId);
  }

  @Get('export.csv')
  @AuditAccess()
  @ApiProduces('text/csv')
  @ApiProblem('organisation.not_found')
  @ApiOkResponse({
    description: 'Every matching event as CSV, streamed.',
    content: { 'text/csv': { schema: { type: 'string', example: `${CSV_HEADER_EXAMPLE}\n…` } } },
  })
  @ApiOperation({ summary: 'Export audit events as CSV', description: 'For an auditor or a spreadsheet: every event matching the filters, streamed.' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(auditFilterSchema) query: AuditFilterQuery,
    @Res() res: Response,
  ): Promise<void> {
    let started = false;
    await this.review.export(principal, query, async (batch) => {
      if (!started) {
        started = true;
        res.status(200).type('text/csv').setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
        res.write(csvHeader());
      }
      await writeWithBackpressure(res, csvRows(batch));
    });
    if (!started) res.status(200).type('text/csv').setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
    res.end(started ? undefined : csvHeader());
  }

  @Get('verify')
  @AuditAccess()
  @ApiOkResponse({ description: 'Whether the chain is intact, and its first broken link if not.', ...CHAIN_VERIFICATION })
  @ApiProblems('organisation.not_found', 'organisation.ambiguous')
  @ApiOperation({ summary: 'Verify the audit hash chain', description: 'To prove the trail was not altered: answers whether the chain is intact, and the first broken link if not.' })
  verify(@CurrentPrincipal() principal: Principal, @ZodQuery(verifySchema) query: z.output<typeof verifySchema>): Promise<ChainVerification> {
    return this.review.verify(principal, query.organisation, query.vendor);
  }
}

/** Waits for `drain` when the socket buffer is full; a client that hangs up ends the export with an error. */
async function writeWithBackpressure(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) throw new Error('client disconnected during export');
  if (res.write(chunk)) return;
  const ac = new AbortController();
  try {
    await Promise.race([
      once(res, 'drain', { signal: ac.signal }),
      once(res, 'close', { signal: ac.signal }).then(() => {
        throw new Error('client disconnected during export');
      }),
    ]);
  } finally {
    ac.abort();
  }
}
