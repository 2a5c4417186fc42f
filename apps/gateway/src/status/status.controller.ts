import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ManagementAccess, RequireRoles } from '../common/auth/access.decorator';
import { CurrentVendorId } from '../common/auth/current-principal.decorator';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { VendorId } from '../database/vendor-id';
import { StatusService, STATISTICS_SOURCE } from './status.service';
import { EnvironmentStatus, PlatformStatus, VendorStatus } from './status.types';

const ENDPOINT = {
  breaker: 'closed',
  lastSuccessAt: '2026-03-01T00:09:58.120Z',
  lastFailureAt: null,
  lastErrorCode: null,
  window: { windowMinutes: 15, calls: 42, failures: 1, errorRate: 0.0238, outages: 0, p95LatencyMs: 310 },
} as const;

const ENVIRONMENT_EXAMPLE: EnvironmentStatus = {
  environment: '3pt',
  serviceVersion: { id: 'v5', label: '5.0', namespace: 'http://usi.gov.au/2022/ws', complete: true },
  appliesTo: 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc',
  endpoints: {
    sts: { url: 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc', ...ENDPOINT },
    usi: { url: 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc', ...ENDPOINT },
  },
  clock: {
    state: 'ok',
    offsetSeconds: 0.4,
    uncertaintySeconds: 0.2,
    source: 'timestamp',
    endpoint: 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc',
    measuredAt: '2026-03-01T00:09:58.000Z',
  },
  versionOutdatedAt: null,
};

const CREDENTIAL_EXAMPLE = {
  id: '5d1e…',
  credentialId: 'ABRD:11000002568_INGLETON153',
  abn: '11000002568',
  notAfter: '2027-07-25T00:07:14.000Z',
  daysLeft: 511,
  expired: false,
};

const VENDOR_EXAMPLE: VendorStatus = {
  generatedAt: '2026-03-01T00:10:00.000Z',
  statistics: STATISTICS_SOURCE,
  environments: [ENVIRONMENT_EXAMPLE],
  credential: CREDENTIAL_EXAMPLE,
};

const PLATFORM_EXAMPLE: PlatformStatus = {
  generatedAt: '2026-03-01T00:10:00.000Z',
  statistics: STATISTICS_SOURCE,
  environments: [ENVIRONMENT_EXAMPLE],
  credentials: {
    active: 12,
    expired: 0,
    expiringWithin30Days: 1,
    vendorsWithoutCredential: 2,
    soonest: [{ ...CREDENTIAL_EXAMPLE, daysLeft: 21, vendorId: '1f0c…', vendorName: 'Demo SMS Vendor' }],
  },
};

const DESCRIPTION =
  'Per upstream environment: the STS and USI endpoints and web-service version in use, the last successful and failed ' +
  'exchange of each, error rate and p95 latency over 15 minutes (this instance, in memory), circuit-breaker state and the ' +
  "clock offset read from the last STS answer (state ok, warning beyond 30 s, skewed beyond 4 min).";

@ApiTags('status')
@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get('v1/status')
  @ManagementAccess()
  @ApiOperation({ summary: "Upstream health and the vendor's active credential", description: `${DESCRIPTION} Plus the vendor's active machine credential and the days it has left.` })
  @ApiOkResponse({ schema: { example: VENDOR_EXAMPLE } })
  @ApiProblems('auth.forbidden_scope', 'database.unavailable')
  vendorStatus(@CurrentVendorId() vendorId: VendorId): Promise<VendorStatus> {
    return this.status.vendor(vendorId);
  }

  @Get('v1/platform/status')
  @RequireRoles('platform_admin')
  @ApiTags('platform')
  @ApiOperation({ summary: 'Upstream health and every vendor’s credential expiry (platform administrators)', description: `${DESCRIPTION} Plus the active credentials of all vendors, soonest expiry first.` })
  @ApiOkResponse({ schema: { example: PLATFORM_EXAMPLE } })
  @ApiProblems('auth.forbidden_scope', 'database.unavailable')
  platformStatus(): Promise<PlatformStatus> {
    return this.status.platform();
  }
}
