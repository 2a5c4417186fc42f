import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { EndpointView } from '../../webhooks/endpoints/webhook-endpoint.types';
import { WebhookEndpointsService } from '../../webhooks/endpoints/webhook-endpoints.service';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import type { WebUser } from '../session/web-user';

/** The vendor's webhook endpoints, read only (they are managed through the API: /v1/webhooks/endpoints). */
@Controller('vendor/webhooks')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorWebhooksController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const all: EndpointView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.endpoints.list(vendorId, { limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    this.renderer.send(req, res, 'vendor/webhooks', { title: 'Webhooks', section: 'webhooks', endpoints: all });
  }
}
