import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
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
import { validApplication, validBody, validUpdateBody } from './usi-body';
import { USI_EXAMPLES } from './usi-examples';
import { usiRequestSchema, usiResponseSchema, usiRequestMemberSchema } from './usi-json-schema';
import { ApiUsiBody, ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { UsiRequestScope } from './usi-request-scope';

@ApiTags('usi')
@RateLimited()
@Controller('v1/organisations/:orgCode/usis')
export class UsiRecordsController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly usi: UsiService,
  ) {}

  @Post()
  @RequireScopes('usi:write')
  @Idempotent()
  @ApiUsiBody(usiRequestMemberSchema('CreateUSI', 'application', ['applicationId']), USI_EXAMPLES.create.request, 'CreateUSI: the application itself; RequestId is derived from Idempotency-Key')
  @ApiUsiOk(201, usiResponseSchema('CreateUSI', { field: 'application' }), USI_EXAMPLES.create.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Create a USI (CreateUSI)', description: 'When a student has no USI: the Registry creates one from the application, after a document (DVS) check if asked. Send an `Idempotency-Key`; a retry with the same key replays the answer.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'CreateUSI', recordCount: 1 });
    const application = validApplication(body, this.usi.version);
    const response = await this.usi.call('CreateUSI', target, {
      requestId: usiRequestIdFor(vendorId, idempotencyKey),
      orgCode: target.organisation.orgCode,
      application,
    });
    return response.application;
  }

  @Post('locate')
  @HttpCode(200)
  @RequireScopes('usi:verify')
  @ApiUsiBody(usiRequestSchema('LocateUSI', ['orgCode']), USI_EXAMPLES.locate.request, 'LocateUSI')
  @ApiUsiOk(200, usiResponseSchema('LocateUSI'), USI_EXAMPLES.locate.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Find a student\'s USI (LocateUSI)', description: 'When a student has forgotten their USI: search by personal and contact details.' })
  async locate(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'LocateUSI' });
    const request = validBody('LocateUSI', body, ['orgCode'], this.usi.version);
    return this.usi.call('LocateUSI', target, { ...request, orgCode: target.organisation.orgCode });
  }

  @Put(':usi/personal-details')
  @RequireScopes('usi:write')
  @Idempotent()
  @ApiUsiBody(usiRequestSchema('UpdateUSIPersonalDetails', ['orgCode', 'usi']), USI_EXAMPLES.personalDetails.request, 'UpdateUSIPersonalDetails (the USI is in the path)')
  @ApiUsiOk(200, usiResponseSchema('UpdateUSIPersonalDetails'), USI_EXAMPLES.personalDetails.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Update a student\'s personal details', description: 'When a name or date of birth recorded against the USI must change (UpdateUSIPersonalDetails). Idempotent with `Idempotency-Key`.' })
  async updatePersonalDetails(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Param('usi') usi: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'UpdateUSIPersonalDetails', usi });
    const request = validUpdateBody('UpdateUSIPersonalDetails', body, usi, this.usi.version);
    return this.usi.call('UpdateUSIPersonalDetails', target, { ...request, orgCode: target.organisation.orgCode });
  }

  @Put(':usi/contact-details')
  @RequireScopes('usi:write')
  @Idempotent()
  @ApiUsiBody(usiRequestSchema('UpdateUSIContactDetails', ['orgCode', 'usi']), USI_EXAMPLES.contactDetails.request, 'UpdateUSIContactDetails (the USI is in the path)')
  @ApiUsiOk(200, usiResponseSchema('UpdateUSIContactDetails'), USI_EXAMPLES.contactDetails.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
  @ApiOperation({ summary: 'Update a student\'s contact details', description: 'When an address, email or phone recorded against the USI must change (UpdateUSIContactDetails). Idempotent with `Idempotency-Key`.' })
  async updateContactDetails(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Param('usi') usi: string,
    @Body() body: unknown,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'UpdateUSIContactDetails', usi });
    const request = validUpdateBody('UpdateUSIContactDetails', body, usi, this.usi.version);
    return this.usi.call('UpdateUSIContactDetails', target, { ...request, orgCode: target.organisation.orgCode });
  }
}
