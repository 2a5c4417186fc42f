import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NotFoundError } from '../../common/errors/app-error';
import { WEBHOOK_EVENT_TYPES } from '../../common/webhook-events/webhook-events';
import { VendorId } from '../../database/vendor-id';
import { parseForm } from '../../providers/parse-form';
import { canActForVendor, VENDOR_ACTORS, VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { WebhookDeliveryLogService } from '../../webhooks/delivery/webhook-delivery-log.service';
import { createEndpointSchema, EndpointView, updateEndpointSchema } from '../../webhooks/endpoints/webhook-endpoint.types';
import { EndpointWithSecret, WebhookEndpointsService } from '../../webhooks/endpoints/webhook-endpoints.service';
import { emptyForm, FormState, formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { formValues, vendorFormState } from './vendor-form';

const FIELDS = ['url', 'eventTypes', 'description'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Deliveries on one page of an endpoint's log. */
const DELIVERIES_PER_PAGE = 50;

const NOTICES: Record<string, string> = {
  updated: 'The endpoint is saved.',
  enabled: 'The endpoint is enabled: events are delivered to it again.',
  disabled: 'The endpoint is disabled: no event is delivered to it until it is enabled again.',
  redelivered: 'The delivery is queued to be sent again (same webhook-id).',
  deleted: 'The endpoint and its delivery log are deleted.',
};

/** The form's values as the API's body: checkboxes as an array, an empty description as none. */
function endpointInput(body: unknown): { url: string; eventTypes: string[]; description?: string } {
  const description = formValue(body, 'description').trim();
  return { url: formValue(body, 'url').trim(), eventTypes: formValues(body, 'eventTypes'), ...(description ? { description } : {}) };
}

/** A refused event type reads as one plain message next to the checkboxes, not zod's list of the allowed values. */
function withClearMessages(form: FormState, chosen: string[]): FormState {
  const unknown = chosen.filter((t) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
  const message = unknown.length
    ? `Unknown event type: ${unknown.join(', ')}. Choose event types from the list`
    : 'Choose at least one event type';
  return { ...form, errors: form.errors.map((e) => (e.field === 'eventTypes' ? { ...e, message } : e)) };
}

/**
 * The vendor's webhook endpoints: the list and registration, one endpoint's page (settings, enable / disable, secret
 * rotation, delete after a confirmation, the delivery log with redelivery). Every change goes through the services
 * the API's controller calls (WebhookEndpointsService, WebhookDeliveryLogService), under its policy: vendor
 * administrators acting for the whole vendor (VENDOR_ACTORS, vendor-wide); developers read only. The signing secret
 * is shown once, on the page answering a registration or a rotation (never cached), and never again.
 */
@Controller('vendor/webhooks')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorWebhooksController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveryLogService,
  ) {}

  @Get()
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentWebUser() user: WebUser,
    form: FormState = emptyForm(),
    status = 200,
  ): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const all: EndpointView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.endpoints.list(vendorId, { limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    this.renderer.send(
      req,
      res,
      'vendor/webhooks',
      {
        title: 'Webhooks',
        section: 'webhooks',
        endpoints: all,
        eventTypes: WEBHOOK_EVENT_TYPES,
        chosenEventTypes: form.values.eventTypes ? form.values.eventTypes.split(',') : [],
        canAct: canActForVendor(user.principal),
        notice: req.query.deleted === '1' ? NOTICES.deleted : undefined,
        form,
      },
      status,
    );
  }

  @Post()
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async create(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const input = endpointInput(req.body);
    const echo = { url: input.url, eventTypes: input.eventTypes.join(','), description: input.description ?? '' };
    try {
      const created = await this.endpoints.create(vendorId, user.principal, parseForm(createEndpointSchema, input));
      this.showSecret(req, res, created, 'created', 201);
    } catch (err) {
      const form = vendorFormState(err, echo, FIELDS);
      if (!form) throw err;
      return this.page(req, res, user, { ...withClearMessages(form, input.eventTypes), values: echo }, 422);
    }
  }

  @Get(':id')
  async endpoint(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentWebUser() user: WebUser,
    @Param('id') id: string,
    form?: FormState,
    status = 200,
  ): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const endpoint = await this.find(vendorId, id);
    // The log newest first, a page at a time: `cursor` (the link to older deliveries) continues after the page shown.
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const log = await this.deliveries.list(vendorId, endpoint.id, { limit: DELIVERIES_PER_PAGE, ...(cursor ? { cursor } : {}) });
    const state = form ?? emptyForm({ url: endpoint.url, eventTypes: endpoint.eventTypes.join(','), description: endpoint.description ?? '' });
    const outcome = req.query.done;
    const redeliverError = typeof req.query.refused === 'string' ? req.query.refused : undefined;
    this.renderer.send(
      req,
      res,
      'vendor/webhook',
      {
        title: 'Webhook endpoint',
        section: 'webhooks',
        endpoint,
        deliveries: log.items,
        olderCursor: log.nextCursor,
        laterPage: cursor !== undefined,
        eventTypes: WEBHOOK_EVENT_TYPES,
        chosenEventTypes: state.values.eventTypes ? state.values.eventTypes.split(',') : [],
        canAct: canActForVendor(user.principal),
        notice: typeof outcome === 'string' ? NOTICES[outcome] : undefined,
        redeliverError: redeliverError === 'disabled' ? 'The endpoint is disabled: enable it before sending a delivery again.' : redeliverError === 'pending' ? 'That delivery is still being attempted: wait for it to finish.' : undefined,
        form: state,
      },
      status,
    );
  }

  @Post(':id')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async update(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const endpoint = await this.find(vendorId, id);
    const input = endpointInput(req.body);
    const echo = { url: input.url, eventTypes: input.eventTypes.join(','), description: input.description ?? '' };
    try {
      const changes = parseForm(updateEndpointSchema, { url: input.url, eventTypes: input.eventTypes, description: input.description ?? null });
      await this.endpoints.update(vendorId, user.principal, endpoint.id, changes);
    } catch (err) {
      const form = vendorFormState(err, echo, FIELDS);
      if (!form) throw err;
      return this.endpoint(req, res, user, id, { ...withClearMessages(form, input.eventTypes), values: echo }, 422);
    }
    throw new WebRedirect(`/vendor/webhooks/${endpoint.id}?done=updated`);
  }

  @Post(':id/enable')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async enable(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    return this.setEnabled(user, id, true);
  }

  @Post(':id/disable')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async disable(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    return this.setEnabled(user, id, false);
  }

  /** A new secret, shown once; the previous one keeps signing during the overlap (the service's rotation). */
  @Post(':id/rotate-secret')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async rotate(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const endpoint = await this.find(vendorId, id);
    const rotated = await this.endpoints.rotateSecret(vendorId, user.principal, endpoint.id);
    this.showSecret(req, res, rotated, 'rotated', 200);
  }

  @Get(':id/delete')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async confirmDelete(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const endpoint = await this.find(vendorId, id);
    this.renderer.send(req, res, 'vendor/webhook-delete', { title: 'Delete this webhook endpoint?', section: 'webhooks', endpoint });
  }

  @Post(':id/delete')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async delete(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    if (!UUID.test(id)) throw new NotFoundError('webhook_endpoint');
    await this.endpoints.delete(vendorId, user.principal, id);
    throw new WebRedirect('/vendor/webhooks?deleted=1');
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async redeliver(@CurrentWebUser() user: WebUser, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const endpoint = await this.find(vendorId, id);
    if (!UUID.test(deliveryId)) throw new NotFoundError('webhook_delivery');
    try {
      await this.deliveries.redeliver(vendorId, user.principal, endpoint.id, deliveryId);
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : '';
      if (code === 'webhook_endpoint.disabled') throw new WebRedirect(`/vendor/webhooks/${endpoint.id}?refused=disabled`);
      if (code === 'webhook_delivery.pending') throw new WebRedirect(`/vendor/webhooks/${endpoint.id}?refused=pending`);
      throw err;
    }
    throw new WebRedirect(`/vendor/webhooks/${endpoint.id}?done=redelivered`);
  }

  private async setEnabled(user: WebUser, id: string, enabled: boolean): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS, true);
    const endpoint = await this.find(vendorId, id);
    await this.endpoints.update(vendorId, user.principal, endpoint.id, { enabled });
    throw new WebRedirect(`/vendor/webhooks/${endpoint.id}?done=${enabled ? 'enabled' : 'disabled'}`);
  }

  /** The caller's vendor's endpoint, or a 404 (a malformed id, another vendor's endpoint, one that does not exist). */
  private find(vendorId: VendorId, id: string): Promise<EndpointView> {
    if (!UUID.test(id)) throw new NotFoundError('webhook_endpoint');
    return this.endpoints.get(vendorId, id);
  }

  private showSecret(req: Request, res: Response, endpoint: EndpointWithSecret, action: 'created' | 'rotated', status: number): void {
    // The one answer carrying the secret: never kept in a cache.
    res.setHeader('Cache-Control', 'no-store');
    this.renderer.send(
      req,
      res,
      'vendor/webhook-secret',
      { title: action === 'created' ? 'Webhook endpoint registered' : 'New signing secret', section: 'webhooks', endpoint, action },
      status,
    );
  }
}
