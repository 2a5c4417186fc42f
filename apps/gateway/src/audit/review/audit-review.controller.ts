import { applyDecorators, Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { RequireRoles, RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { Page } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ZodQuery } from '../../common/validation/zod-body.decorator';
import { StoredAuditEvent } from '../audit.types';
import { sendAuditCsv } from './audit-csv-response';
import { auditFilterSchema, AuditFilterQuery, auditSearchSchema, AuditSearchQuery } from './audit-filter';
import { AUDIT_EXAMPLES, AUDIT_SCHEMAS, ApiAuditFilters } from './audit-review.openapi';
import { AuditReviewService, ChainReport, ChainsReport } from './audit-review.service';
import { RequestStory } from './request-story';
import { csvHeader } from './audit-csv';

/**
 * `organisation`: its chain (`vendor` picks one registration of an org code several vendors share; staff only).
 * `vendor` alone: that vendor's chain. Neither: every chain the caller may see.
 */
const verifySchema = z.strictObject({
  organisation: z.string().regex(/^[A-Za-z0-9]{1,20}$/).optional(),
  vendor: z.string().uuid().optional(),
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
  @ApiOperation({
    summary: 'Search the audit trail, newest first (order=asc for oldest first), one page at a time',
    description: 'Every filter combines with the others. Platform staff searches are recorded on the platform chain and on the chain of each vendor whose rows they returned.',
  })
  @ApiAuditFilters(true)
  @ApiOkResponse({ description: 'Matching events with a cursor to the next page (null on the last).', schema: { ...AUDIT_SCHEMAS.page, example: AUDIT_EXAMPLES.page } })
  @ApiProblems('organisation.not_found', 'vendor.not_found', 'request.validation', 'request.invalid_cursor')
  events(@CurrentPrincipal() principal: Principal, @ZodQuery(auditSearchSchema) query: AuditSearchQuery): Promise<Page<StoredAuditEvent>> {
    return this.review.search(principal, query);
  }

  @Get('requests/:requestId')
  @AuditAccess()
  @ApiOperation({
    summary: 'The story of one request: inbound call, actor, each STS and USI exchange, outcome and guidance',
    description:
      'Exchanges carry their timings, attempt (retries), outcome, error code and the plain-words guidance of /docs/errors. ' +
      'For platform_admin only, an exchange whose raw SOAP is retained links to it (`rawExchange`); each view of it is audited.',
  })
  @ApiParam({ name: 'requestId', description: 'The X-Request-Id the gateway echoed', example: 'b3c1…' })
  @ApiOkResponse({ description: 'The request, its exchanges and every row, oldest first.', schema: { ...AUDIT_SCHEMAS.story, example: AUDIT_EXAMPLES.story } })
  @ApiProblem('audit_request.not_found')
  request(@CurrentPrincipal() principal: Principal, @Param('requestId') requestId: string): Promise<RequestStory> {
    return this.review.request(principal, requestId);
  }

  @Get('export.csv')
  @AuditAccess()
  @ApiOperation({ summary: 'Export every event the search matches as CSV, streamed (newest first unless order=asc)', description: 'To hand an audit trail to a reviewer or a spreadsheet: same filters as the search, no row limit.' })
  @ApiAuditFilters(false)
  @ApiProblems('organisation.not_found', 'vendor.not_found', 'request.validation')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'Every matching event as CSV, streamed.',
    content: { 'text/csv': { schema: { type: 'string', example: `${csvHeader().trimEnd()}\n…` } } },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(auditFilterSchema) query: AuditFilterQuery,
    @Res() res: Response,
  ): Promise<void> {
    await sendAuditCsv(this.review, principal, query, res);
  }

  @Get('verify')
  @AuditAccess()
  @ApiOperation({
    summary: 'Verify hash chains: one organisation, one vendor, or every chain the caller may see',
    description:
      'With `organisation`: that organisation’s chain. With `vendor` alone: the vendor chain (credential and API-key events), ' +
      'for whole-vendor readers and platform staff. With neither: the platform chain (staff), each vendor chain and each ' +
      'organisation chain within reach, each with its result; `ok` is true only when all are intact.',
  })
  @ApiQuery({ name: 'organisation', required: false, description: 'Organisation code', example: 'VA1802' })
  @ApiQuery({ name: 'vendor', required: false, description: 'Vendor id: its chain, or with `organisation` the registration to pick (staff)' })
  @ApiOkResponse({
    description: 'One chain (`organisation` or `vendor` named) or every chain in reach, each with its first broken link if any.',
    content: { 'application/json': { schema: AUDIT_SCHEMAS.verify, examples: { one: { value: AUDIT_EXAMPLES.chain }, every: { value: AUDIT_EXAMPLES.chains } } } },
  })
  @ApiProblems('organisation.not_found', 'vendor.not_found', 'organisation.ambiguous', 'auth.vendor_wide_required', 'request.validation')
  verify(@CurrentPrincipal() principal: Principal, @ZodQuery(verifySchema) query: z.output<typeof verifySchema>): Promise<ChainReport | ChainsReport> {
    return this.review.verify(principal, query);
  }
}
