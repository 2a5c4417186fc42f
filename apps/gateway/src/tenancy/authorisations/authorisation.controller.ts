import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ManagementAccess, RequireRoles } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { PageQuery, pageQuerySchema } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ResourceId } from '../../common/validation/resource-id.pipe';
import { ZodBody, ZodQuery } from '../../common/validation/zod-body.decorator';
import { VendorId } from '../../database/vendor-id';
import { AuthorisationService } from './authorisation.service';
import {
  ActivateAuthorisationInput,
  activateAuthorisationSchema,
  CreateAuthorisationInput,
  createAuthorisationSchema,
} from './authorisation.types';

/** Reads a provider's own users may make too (their session is limited to their organisation). */
const READERS = ['vendor_admin', 'provider_admin', 'provider_viewer'] as const;

const EXAMPLE = {
  id: '4a0e…',
  organisationId: '9b1f…',
  softwareId: '0000123400',
  startDate: '2026-01-01',
  endDate: null,
  status: 'pending',
  lastTestedAt: null,
  lastTestResult: null,
  softwareIdRegeneratedAt: null,
};

@ApiTags('authorisations')
@ManagementAccess()
@ApiProblem('organisation.not_found')
@Controller('v1/organisations/:orgCode/authorisations')
export class AuthorisationController {
  constructor(private readonly service: AuthorisationService) {}

  @Get()
  @RequireRoles(...READERS)
  @ApiOkResponse({ schema: { example: { items: [EXAMPLE], nextCursor: null } } })
  @ApiOperation({ summary: 'List an organisation\'s authorisations (software IDs)', description: 'To see which software ID the provider must name in its RAM notification, and each authorisation\'s status and dates.' })
  list(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ZodQuery(pageQuerySchema) page: PageQuery,
  ) {
    return this.service.list(vendorId, principal, orgCode, page);
  }

  @Post()
  @ApiZodBody(createAuthorisationSchema, { startDate: '2026-01-01', endDate: null })
  @ApiCreatedResponse({ schema: { example: EXAMPLE } })
  @ApiProblem('request.validation')
  @ApiOperation({ summary: 'Create an authorisation (a new software ID) for an organisation', description: 'When a provider starts using the vendor\'s software: the answer\'s `softwareId` goes into the provider\'s cloud software notification in RAM. Starts `pending`.' })
  create(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ZodBody(createAuthorisationSchema) body: CreateAuthorisationInput,
  ) {
    return this.service.create(vendorId, principal, orgCode, body);
  }

  @Post(':id/regenerate-software-id')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems('authorisation.not_found', 'authorisation.invalid_transition')
  @ApiOperation({ summary: 'Issue a new software ID for an authorisation', description: 'When the software ID must change (for example it was entered wrongly in RAM); the provider updates its notification.' })
  regenerate(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ResourceId('id', 'authorisation') id: string,
  ) {
    return this.service.apply(vendorId, principal, orgCode, id, 'regenerate');
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems('authorisation.not_found', 'authorisation.invalid_transition')
  @ApiOperation({ summary: 'Revoke an authorisation', description: 'When the provider stops using the vendor\'s software: USI calls for it are refused from then on.' })
  revoke(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ResourceId('id', 'authorisation') id: string,
  ) {
    return this.service.apply(vendorId, principal, orgCode, id, 'revoke');
  }

  /**
   * A passing connection test activates the authorisation by itself; this route is for a suspended one, or for a
   * vendor administrator forcing the activation (`force` with a `reason`, audited).
   */
  @Post(':id/activate')
  @HttpCode(200)
  @ApiZodBody(activateAuthorisationSchema, { force: true, reason: 'Registry outage; the provider showed its RAM notification' })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems('authorisation.not_found', 'authorisation.invalid_transition', 'authorisation.untested', 'request.validation')
  @ApiOperation({ summary: 'Mark an authorisation active', description: 'Once the provider has added the notification in RAM (or after a connection test): USI calls for the organisation are allowed.' })
  activate(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ResourceId('id', 'authorisation') id: string,
    @ZodBody(activateAuthorisationSchema) body: ActivateAuthorisationInput,
  ) {
    return this.service.apply(vendorId, principal, orgCode, id, 'activate', body);
  }

  @Get(':id/connection-tests')
  @RequireRoles(...READERS)
  @ApiOperation({ summary: 'The connection tests run for an authorisation, newest first', description: 'To see whether and why the RAM step failed: each attempt with its time, software ID, result and error code.' })
  @ApiOkResponse({
    schema: { example: [{ id: '…', softwareId: '0000123400', testedAt: '2026-01-01T00:00:00.000Z', ok: false, code: 'sts.notification_missing', environment: 'sim' }] },
  })
  @ApiProblem('authorisation.not_found')
  attempts(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ResourceId('id', 'authorisation') id: string,
  ) {
    return this.service.attempts(vendorId, principal, orgCode, id);
  }
}
