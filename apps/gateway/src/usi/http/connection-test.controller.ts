import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { RequireRoles, RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { ConnectionTestService } from '../connection-test/connection-test.service';
import { USI_EXAMPLES } from './usi-examples';
import { ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { RateLimited } from '../../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from './usi-request-scope';

/** `ConnectionTestResponse`: `ok: false` is an answer too, with what to fix in `detail`. */
const CONNECTION_TEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['ok', 'status', 'connectionMode', 'testedAt', 'softwareId', 'vendorAbn'],
  properties: {
    ok: { type: 'boolean' },
    status: { type: 'string', description: "The authorisation's status after the test; `direct` in direct mode" },
    connectionMode: { type: 'string', enum: ['my_cloud', 'direct'] },
    testedAt: { type: 'string', format: 'date-time' },
    softwareId: { type: 'string', nullable: true },
    vendorAbn: { type: 'string' },
    detail: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, upstream: {}, guidance: { type: 'object', additionalProperties: true } },
    },
  },
};

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
  @ApiUsiOk(200, CONNECTION_TEST_SCHEMA, USI_EXAMPLES.connectionTest.response)
  @ApiUsiProblems()
  @ApiOperation({ summary: 'Test the connection to the Registry for an organisation', description: 'After the provider added its RAM notification (or changed credential): obtains a token and calls the Registry, and says what to fix if it fails.' })
  async run(@CurrentPrincipal() principal: Principal, @CurrentVendorId() vendorId: VendorId, @Param('orgCode') orgCode: string) {
    const target = await this.scope.testable(principal, vendorId, orgCode, { operation: 'ConnectionTest' });
    return this.tests.run(target);
  }
}
