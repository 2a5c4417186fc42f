import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { IdempotencyKey } from '../../idempotency/idempotency-key.decorator';
import { Idempotent } from '../../idempotency/idempotent.decorator';
import { usiRequestIdFor } from '../../idempotency/request-id';
import { RateLimited } from '../../rate-limit/rate-limited.decorator';
import { UsiService } from '../usi.service';
import { validBody } from './usi-body';
import { USI_EXAMPLES } from './usi-examples';
import { usiRequestSchema, usiResponseSchema } from './usi-json-schema';
import { ApiUsiBody, ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { UsiRequestScope } from './usi-request-scope';
import { countOf } from './usi-verify.controller';

@ApiTags('usi')
@RateLimited()
@Controller('v1/organisations/:orgCode/bulk-uploads')
export class BulkUploadController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly usi: UsiService,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('usi:write')
  @Idempotent()
  @ApiUsiBody(usiRequestSchema('BulkUpload', ['orgCode', 'requestId']), USI_EXAMPLES.bulkUpload.request, 'BulkUpload: up to 500 applications; poll the receipt for results')
  @ApiUsiOk(202, usiResponseSchema('BulkUpload'), USI_EXAMPLES.bulkUpload.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Submit up to 500 USI applications (BulkUpload)', description: 'For many new students at once: answers a receipt at once; poll it for the results. Idempotent with `Idempotency-Key`.' })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, {
      operation: 'BulkUpload',
      recordCount: countOf(body, 'applications'),
    });
    const request = validBody('BulkUpload', body, ['orgCode', 'requestId'], this.usi.version);
    return this.usi.call('BulkUpload', target, {
      ...request,
      orgCode: target.organisation.orgCode,
      requestId: usiRequestIdFor(vendorId, idempotencyKey),
    });
  }

  @Get(':receipt')
  @RequireScopes('usi:verify')
  @ApiUsiOk(200, usiResponseSchema('BulkUploadRetrieve', { drop: ['requestId'] }), USI_EXAMPLES.bulkUploadRetrieve.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Results of a bulk upload (BulkUploadRetrieve)', description: 'Poll with the receipt from the submission until every application has an answer.' })
  async retrieve(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Param('receipt') receiptNumber: string,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'BulkUploadRetrieve' });
    const request = validBody('BulkUploadRetrieve', { receiptNumber }, [], this.usi.version);
    // The registry echoes the RequestId, which this API derives from the idempotency key and does not expose.
    const { requestId: _requestId, ...response } = await this.usi.call('BulkUploadRetrieve', target, request);
    return response;
  }
}
