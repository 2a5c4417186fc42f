import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ManagementAccess, RequireRoles, VendorWide } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { Page, PageQuery, pageQuerySchema } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ZodBody, ZodQuery } from '../../common/validation/zod-body.decorator';
import { VendorId } from '../../database/vendor-id';
import { OrganisationService } from './organisation.service';
import {
  CreateOrganisationInput,
  createOrganisationSchema,
  Organisation,
  UpdateOrganisationInput,
  updateOrganisationSchema,
} from './organisation.types';

const EXAMPLE = {
  orgCode: 'VA1802',
  abn: '96312011219',
  legalName: 'Example Training Pty Ltd',
  kind: 'RTO',
  contactName: 'Jo Citizen',
  contactEmail: 'jo@example.edu.au',
  contactPhone: '+61 2 9999 0000',
};

@ApiTags('organisations')
@ManagementAccess()
@ApiProblem('auth.unauthenticated')
@Controller('v1/organisations')
export class OrganisationController {
  constructor(private readonly service: OrganisationService) {}

  @Get()
  @ApiOkResponse({ schema: { example: { items: [{ id: '…', ...EXAMPLE, status: 'active', connectionMode: 'my_cloud' }], nextCursor: null } } })
  @ApiProblem('request.invalid_cursor')
  @ApiOperation({ summary: 'List the vendor\'s organisations (training providers)', description: 'To find an organisation\'s `orgCode`, status and connection mode; restricted keys see only their organisations.' })
  list(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(pageQuerySchema) page: PageQuery,
  ): Promise<Page<Organisation>> {
    return this.service.list(vendorId, principal, page);
  }

  /** A key restricted to some organisations manages those; adding one to the vendor is a vendor-wide act. */
  @Post()
  @VendorWide()
  @ApiZodBody(createOrganisationSchema, EXAMPLE)
  @ApiCreatedResponse({ schema: { example: { id: '…', ...EXAMPLE, status: 'active', connectionMode: 'my_cloud' } } })
  @ApiProblems('request.validation', 'organisation.org_code_taken')
  @ApiOperation({ summary: 'Register an organisation (training provider)', description: 'When a new provider signs up with the vendor; then create its authorisation.' })
  create(@CurrentVendorId() vendorId: VendorId, @ZodBody(createOrganisationSchema) body: CreateOrganisationInput) {
    return this.service.create(vendorId, body);
  }

  /** Also a provider's own users: their session reaches their organisation only (404 for any other). */
  @Get(':orgCode')
  @RequireRoles('vendor_admin', 'provider_admin', 'provider_viewer')
  @ApiOkResponse({ schema: { example: { id: '…', ...EXAMPLE, status: 'active', connectionMode: 'my_cloud' } } })
  @ApiProblem('organisation.not_found')
  @ApiOperation({ summary: 'One organisation', description: 'To check an organisation\'s details, status and connection mode by its `orgCode`.' })
  get(@CurrentVendorId() vendorId: VendorId, @CurrentPrincipal() principal: Principal, @Param('orgCode') orgCode: string) {
    return this.service.get(vendorId, principal, orgCode);
  }

  @Patch(':orgCode')
  @ApiOperation({
    summary: 'Update an organisation; `connectionMode` switches between My Cloud (ActAs) and its own credential (direct)',
    description:
      'Switching to `direct` needs an active credential of the organisation (POST /v1/organisations/{orgCode}/credentials), else 409 ' +
      '`organisation.direct_credential_missing`. The switch takes effect on every instance at once (no restart); cached tokens of the ' +
      'vendor are dropped, so no token of the other mode is used again.',
  })
  @ApiZodBody(updateOrganisationSchema, { contactEmail: 'usi@example.edu.au', connectionMode: 'direct' })
  @ApiOkResponse({ schema: { example: { id: '…', ...EXAMPLE, contactEmail: 'usi@example.edu.au', status: 'active', connectionMode: 'direct' } } })
  @ApiProblems('request.validation', 'organisation.not_found', 'organisation.direct_credential_missing')
  update(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
    @ZodBody(updateOrganisationSchema) body: UpdateOrganisationInput,
  ) {
    return this.service.update(vendorId, principal, orgCode, body);
  }

  @Delete(':orgCode')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem('organisation.not_found')
  @ApiOperation({ summary: 'Delete an organisation', description: 'When the vendor no longer serves the provider; its audit trail is kept.' })
  async delete(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @Param('orgCode') orgCode: string,
  ): Promise<void> {
    await this.service.delete(vendorId, principal, orgCode);
  }
}
