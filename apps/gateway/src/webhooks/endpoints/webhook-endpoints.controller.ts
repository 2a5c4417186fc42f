import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ManagementAccess, VendorWide } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem, ApiProblems } from '../../common/openapi/api-problem.decorator';
import { Page, PageQuery, pageQuerySchema } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { ResourceId } from '../../common/validation/resource-id.pipe';
import { ZodBody, ZodQuery } from '../../common/validation/zod-body.decorator';
import { VendorId } from '../../database/vendor-id';
import { DeliveryView, WebhookDeliveryLogService } from '../delivery/webhook-delivery-log.service';
import { CreateEndpointInput, createEndpointSchema, EndpointView, UpdateEndpointInput, updateEndpointSchema } from './webhook-endpoint.types';
import { EndpointWithSecret, WebhookEndpointsService } from './webhook-endpoints.service';

const EXAMPLE = {
  id: '0c5e2b7a-3f1d-4e8b-9a61-5d2c7f0e4b19',
  url: 'https://sms.example.com/hooks/usi-gateway',
  description: 'Production receiver',
  eventTypes: ['authorisation.activated', 'credential.expiring'],
  status: 'enabled',
  failingSince: null,
  disabledAt: null,
  disabledReason: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-03-01T09:30:00.000Z',
  updatedAt: '2026-03-01T09:30:00.000Z',
};
const SECRET_EXAMPLE = { ...EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw4l9nB2fJqG8=' };
const DELIVERY_EXAMPLE = {
  id: '7d0f5a3c-1b2e-4c6d-8e9f-0a1b2c3d4e5f',
  endpointId: EXAMPLE.id,
  eventId: '2e4c6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c7d',
  eventType: 'authorisation.activated',
  status: 'succeeded',
  attempts: 2,
  nextAttemptAt: null,
  lastAttemptAt: '2026-03-01T09:30:31.000Z',
  createdAt: '2026-03-01T09:30:00.000Z',
  log: [
    { attempt: 1, outcome: 'failed', responseStatus: 503, responseBody: 'busy', error: null, durationMs: 41, startedAt: '2026-03-01T09:30:00.000Z' },
    { attempt: 2, outcome: 'succeeded', responseStatus: 204, responseBody: '', error: null, durationMs: 38, startedAt: '2026-03-01T09:30:31.000Z' },
  ],
};

/** Webhook endpoints change what the whole vendor is told: vendor-wide management access only. */
@ApiTags('webhooks')
@ManagementAccess()
@VendorWide()
@Controller('v1/webhooks/endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveryLogService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook endpoint (Standard Webhooks); the answer shows its signing secret, once',
    description:
      'Production accepts `https` URLs only; the address the host resolves to is checked at every delivery (no loopback, ' +
      'private, link-local or metadata addresses), and a host written as such an address is refused here (400, `url`). ' +
      'Verify deliveries as in docs/webhooks-receiver.md.',
  })
  @ApiZodBody(createEndpointSchema, { url: EXAMPLE.url, eventTypes: EXAMPLE.eventTypes, description: EXAMPLE.description })
  @ApiCreatedResponse({ schema: { example: SECRET_EXAMPLE } })
  @ApiProblem('request.validation')
  create(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ZodBody(createEndpointSchema) body: CreateEndpointInput,
  ): Promise<EndpointWithSecret> {
    return this.endpoints.create(vendorId, principal, body);
  }

  @Get()
  @ApiOperation({ summary: "The vendor's webhook endpoints, oldest first", description: 'To review where events are sent and which endpoints were disabled after failing.' })
  @ApiOkResponse({ schema: { example: { items: [EXAMPLE], nextCursor: null } } })
  @ApiProblems('request.validation', 'request.invalid_cursor')
  list(@CurrentVendorId() vendorId: VendorId, @ZodQuery(pageQuerySchema) page: PageQuery): Promise<Page<EndpointView>> {
    return this.endpoints.list(vendorId, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint (never its secret)', description: 'To check its status, event types and whether a rotated secret is still in its overlap.' })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblem('webhook_endpoint.not_found')
  get(@CurrentVendorId() vendorId: VendorId, @ResourceId('id', 'webhook_endpoint') id: string): Promise<EndpointView> {
    return this.endpoints.get(vendorId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, event types or description; `enabled` disables or re-enables the endpoint', description: 'When the receiver moves or should hear other events; re-enabling a disabled endpoint starts delivering again.' })
  @ApiZodBody(updateEndpointSchema, { enabled: true })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems('request.validation', 'webhook_endpoint.not_found')
  update(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ResourceId('id', 'webhook_endpoint') id: string,
    @ZodBody(updateEndpointSchema) body: UpdateEndpointInput,
  ): Promise<EndpointView> {
    return this.endpoints.update(vendorId, principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint and its delivery log', description: 'When a receiver is retired: pending deliveries to it are dropped.' })
  @ApiNoContentResponse({ description: 'Deleted, with its delivery log' })
  @ApiProblem('webhook_endpoint.not_found')
  async delete(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ResourceId('id', 'webhook_endpoint') id: string,
  ): Promise<void> {
    await this.endpoints.delete(vendorId, principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new signing secret, shown once; the previous one keeps signing during the overlap',
    description: 'Until `previousSecretExpiresAt`, `webhook-signature` carries both signatures, space-separated (new one first).',
  })
  @ApiOkResponse({ schema: { example: { ...SECRET_EXAMPLE, previousSecretExpiresAt: '2026-03-02T09:30:00.000Z' } } })
  @ApiProblem('webhook_endpoint.not_found')
  rotate(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ResourceId('id', 'webhook_endpoint') id: string,
  ): Promise<EndpointWithSecret> {
    return this.endpoints.rotateSecret(vendorId, principal, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery log, newest first: each delivery with its attempts (status, response code, duration, first 1 KB)", description: 'To find out why a receiver missed events; `nextCursor` pages to older deliveries. Deliveries are kept 30 days.' })
  @ApiOkResponse({ schema: { example: { items: [DELIVERY_EXAMPLE], nextCursor: null } } })
  @ApiProblems('webhook_endpoint.not_found', 'request.validation', 'request.invalid_cursor')
  deliveriesOf(
    @CurrentVendorId() vendorId: VendorId,
    @ResourceId('id', 'webhook_endpoint') id: string,
    @ZodQuery(pageQuerySchema) page: PageQuery,
  ): Promise<Page<DeliveryView>> {
    return this.deliveries.list(vendorId, id, page);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a finished delivery again (same webhook-id), with a fresh retry schedule', description: 'After fixing a receiver that failed: the receiver can de-duplicate on `webhook-id`.' })
  @ApiAcceptedResponse({ description: 'Queued', schema: { example: { status: 'queued' } } })
  @ApiProblems('webhook_endpoint.not_found', 'webhook_delivery.not_found', 'webhook_endpoint.disabled', 'webhook_delivery.pending')
  async redeliver(
    @CurrentVendorId() vendorId: VendorId,
    @CurrentPrincipal() principal: Principal,
    @ResourceId('id', 'webhook_endpoint') id: string,
    @ResourceId('deliveryId', 'webhook_delivery') deliveryId: string,
  ): Promise<{ status: 'queued' }> {
    await this.deliveries.redeliver(vendorId, principal, id, deliveryId);
    return { status: 'queued' };
  }
}
