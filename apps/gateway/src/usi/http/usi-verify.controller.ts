import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OperationRequest } from '@usi/contract';
import { RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { RateLimited } from '../../rate-limit/rate-limited.decorator';
import { UsiService } from '../usi.service';
import { validBody } from './usi-body';
import { USI_EXAMPLES } from './usi-examples';
import { usiRequestSchema, usiResponseSchema } from './usi-json-schema';
import { ApiUsiBody, ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { UsiRequestScope } from './usi-request-scope';

@ApiTags('usi')
@RateLimited()
@RequireScopes('usi:verify')
@Controller('v1/organisations/:orgCode/usi/verify')
export class UsiVerifyController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly usi: UsiService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiUsiBody(usiRequestSchema('VerifyUSI', ['orgCode']), USI_EXAMPLES.verify.request, 'VerifyUSI: firstName + familyName, or singleName')
  @ApiUsiOk(200, usiResponseSchema('VerifyUSI'), USI_EXAMPLES.verify.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Verify a USI (VerifyUSI)', description: 'At enrolment: checks that the USI is valid and belongs to the student (names and date of birth).' })
  async verify(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'VerifyUSI', usi: usiOf(body) });
    const request = validBody('VerifyUSI', body, ['orgCode'], this.usi.version);
    // Omit<> flattens the name union; the value was validated against the full shape.
    return this.usi.call('VerifyUSI', target, { ...request, orgCode: target.organisation.orgCode } as OperationRequest<'VerifyUSI'>);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiUsiBody(usiRequestSchema('BulkVerifyUSI', ['orgCode']), USI_EXAMPLES.batchVerify.request, 'BulkVerifyUSI: at most 500 records, answered synchronously')
  @ApiUsiOk(200, usiResponseSchema('BulkVerifyUSI'), USI_EXAMPLES.batchVerify.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Verify up to 500 USIs at once (BulkVerifyUSI)', description: 'For a class list: one synchronous answer per record, matched by `recordId`.' })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, {
      operation: 'BulkVerifyUSI',
      recordCount: countOf(body, 'verifications'),
    });
    const request = validBody('BulkVerifyUSI', body, ['orgCode'], this.usi.version);
    return this.usi.call('BulkVerifyUSI', target, { ...request, orgCode: target.organisation.orgCode });
  }
}

/** For the audit event only (stored as an HMAC and a masked form); validation happens separately. */
export function usiOf(body: unknown): string | undefined {
  const usi = (body as { usi?: unknown } | null)?.usi;
  return typeof usi === 'string' ? usi : undefined;
}

export function countOf(body: unknown, list: string): number | undefined {
  const items = (body as Record<string, unknown> | null)?.[list];
  return Array.isArray(items) ? items.length : undefined;
}
