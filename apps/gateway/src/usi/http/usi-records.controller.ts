import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
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
  @ApiUsiBody(USI_EXAMPLES.create.request, 'CreateUSI: the application itself; RequestId is derived from Idempotency-Key')
  @ApiUsiOk(201, USI_EXAMPLES.create.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
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
  @ApiUsiBody(USI_EXAMPLES.locate.request, 'LocateUSI')
  @ApiUsiOk(200, USI_EXAMPLES.locate.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
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
  @ApiUsiBody(USI_EXAMPLES.personalDetails.request, 'UpdateUSIPersonalDetails (the USI is in the path)')
  @ApiUsiOk(200, USI_EXAMPLES.personalDetails.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
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
  @ApiUsiBody(USI_EXAMPLES.contactDetails.request, 'UpdateUSIContactDetails (the USI is in the path)')
  @ApiUsiOk(200, USI_EXAMPLES.contactDetails.response)
  @ApiUsiProblems('request.validation', 'usi.validation')
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
