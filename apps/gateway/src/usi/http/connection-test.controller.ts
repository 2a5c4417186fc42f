import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireRoles, RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { ConnectionTestService } from '../connection-test/connection-test.service';
import { USI_EXAMPLES } from './usi-examples';
import { ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { RateLimited } from '../../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from './usi-request-scope';

@ApiTags('usi')
@RateLimited()
@RequireScopes('usi:verify')
// A provider administrator tests its own organisation's link (its session reaches no other organisation).
@RequireRoles('vendor_admin', 'provider_admin')
@Controller('v1/organisations/:orgCode/connection-test')
export class ConnectionTestController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly tests: ConnectionTestService,
  ) {}

  /** A failed test is still a completed test: 200 with `ok: false`, the reason and (for RAM problems) the guidance. */
  @Post()
  @HttpCode(200)
  @ApiUsiOk(200, USI_EXAMPLES.connectionTest.response)
  @ApiUsiProblems()
  async run(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string) {
    const target = await this.scope.testable(principal, vendorId, orgCode, { operation: 'ConnectionTest' });
    return this.tests.run(target);
  }
}
