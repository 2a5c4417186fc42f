import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../common/auth/access.decorator';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import { ApiProblem } from '../../common/openapi/api-problem.decorator';
import { ResourceId } from '../../common/validation/resource-id.pipe';
import { Principal } from '../../common/request-context/principal';
import { RawExchangeService } from './raw-exchange.service';
import { RetainedRawExchange } from './raw-exchange.store';

/**
 * Dispute resolution: `platform_admin` only (the decrypted XML holds personal data); never `platform_support`, API keys
 * or a vendor's users, its own `support` included. Each read lands on the organisation's chain.
 */
@ApiTags('audit')
@Controller('v1/audit/raw-exchanges')
export class RawExchangeController {
  constructor(private readonly raw: RawExchangeService) {}

  @Get(':exchangeId')
  @RequireRoles('platform_admin')
  @ApiParam({ name: 'exchangeId', description: 'The exchange’s `started` event id (`rawExchange` in the story of a request)' })
  @ApiOkResponse({
    description: 'The retained request and response XML of one USI exchange (its `started` event id), decrypted.',
    schema: {
      type: 'object',
      required: ['exchangeId', 'vendorId', 'organisationId', 'requestId', 'operation', 'requestXml', 'responseXml', 'createdAt', 'expiresAt'],
      properties: {
        exchangeId: { type: 'string' },
        vendorId: { type: 'string' },
        organisationId: { type: 'string', nullable: true },
        requestId: { type: 'string', nullable: true },
        operation: { type: 'string', example: 'VerifyUSI' },
        requestXml: { type: 'string' },
        responseXml: { type: 'string', nullable: true, description: 'Null when no answer came (timeout, connection refused)' },
        createdAt: { type: 'string', format: 'date-time' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  @ApiProblem('audit_raw_exchange.not_found')
  @ApiOperation({
    summary: 'The retained raw SOAP of one USI exchange, decrypted (platform_admin; every view is audited)',
    description: 'To diagnose a Registry answer: the signed SOAP request and response, kept for a short retention period.',
  })
  fetch(@CurrentPrincipal() principal: Principal, @ResourceId('exchangeId', 'audit_raw_exchange') exchangeId: string): Promise<RetainedRawExchange> {
    return this.raw.fetch(exchangeId, principal);
  }
}
