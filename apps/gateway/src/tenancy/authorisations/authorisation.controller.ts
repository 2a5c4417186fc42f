import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ManagementAccess } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { PageQuery, pageQuerySchema } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ResourceId } from '../../common/validation/resource-id.pipe';
import { ZodBody, ZodQuery } from '../../common/validation/zod-body.decorator';
import { VendorId } from '../../database/vendor-id';
import { AuthorisationService } from './authorisation.service';
import { CreateAuthorisationInput, createAuthorisationSchema } from './authorisation.types';

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

  /** Manual until connection tests exist. */
  @Post(':id/activate')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems('authorisation.not_found', 'authorisation.invalid_transition')
  @ApiOperation({ summary: 'Mark an authorisation active', description: 'Once the provider has added the notification in RAM (or after a connection test): USI calls for the organisation are allowed.' })
  activate(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ResourceId('id', 'authorisation') id: string,
  ) {
    return this.service.apply(vendorId, principal, orgCode, id, 'activate');
  }
}
