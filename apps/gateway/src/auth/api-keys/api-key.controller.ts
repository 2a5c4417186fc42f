import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ManagementAccess } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblems } from '../../common/openapi/api-problem.decorator';
import { PageQuery, pageQuerySchema } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ResourceId } from '../../common/validation/resource-id.pipe';
import { ZodBody, ZodQuery } from '../../common/validation/zod-body.decorator';
import { VendorId } from '../../database/vendor-id';
import { ApiKeyService } from './api-key.service';
import { CreateApiKeyInput, createApiKeySchema } from './api-key.types';

const EXAMPLE = {
  id: '7d2e…',
  name: 'SMS production',
  prefix: 'usi_live_ab12cd34',
  scopes: ['usi:verify', 'usi:write'],
  organisationIds: null,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  createdBy: 'user:…',
};

@ApiTags('api-keys')
@ManagementAccess()
@Controller('v1/api-keys')
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Get()
  @ApiOkResponse({ schema: { example: { items: [EXAMPLE], nextCursor: null } } })
  @ApiOperation({ summary: 'List the vendor\'s API keys', description: 'To review keys (names, scopes, organisation restriction, last use); the secret is never shown again.' })
  list(@CurrentVendorId() vendorId: VendorId, @CurrentPrincipal() principal: Principal, @ZodQuery(pageQuerySchema) page: PageQuery) {
    return this.service.listFor(principal, vendorId, page);
  }

  @Post()
  @ApiZodBody(createApiKeySchema, { name: 'SMS production', scopes: ['usi:verify', 'usi:write'] })
  @ApiCreatedResponse({
    description: 'The only response that ever contains the key.',
    schema: { example: { ...EXAMPLE, key: 'usi_live_ab12cd34_Zm9v…' } },
  })
  @ApiProblems('request.validation', 'auth.exceeds_own_access')
  @ApiOperation({ summary: 'Create an API key', description: 'For a new integration: the answer carries the secret once; store it, it cannot be read back.' })
  create(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ZodBody(createApiKeySchema) body: CreateApiKeyInput,
  ) {
    return this.service.createAs(principal, vendorId, body);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: { ...EXAMPLE, revokedAt: '2026-03-01T00:00:00.000Z' } } })
  @ApiProblems('api_key.not_found', 'auth.exceeds_own_access')
  @ApiOperation({ summary: 'Revoke an API key', description: 'When a key leaks or an integration is retired: it stops working at once.' })
  revoke(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ResourceId('id', 'api_key') id: string,
  ) {
    return this.service.revokeAs(principal, vendorId, id);
  }
}
