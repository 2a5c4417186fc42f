import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';
import { DevMailboxRepository } from './dev-mailbox.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/dev/mailbox`: the outbox as a mailbox, for development, the demo and the browser tests when no SMTP_URL is set.
 * Open to anyone who can reach the gateway, which is why WebModule registers it only outside production.
 */
@Controller('dev/mailbox')
@WebPage({ access: 'anyone' })
export class DevMailboxController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly mailbox: DevMailboxRepository,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.renderer.send(req, res, 'dev-mailbox/list', { title: 'Development mailbox', messages: await this.mailbox.recent() });
  }

  @Get(':id')
  async show(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const message = UUID.test(id) ? await this.mailbox.find(id) : undefined;
    if (!message) throw new NotFoundException();
    // The text part, with its links made clickable: the HTML part is shown as source, never rendered here.
    const parts = message.text.split(/(https?:\/\/[^\s<>"]+)/g).map((part, i) => ({ text: part, link: i % 2 === 1 }));
    this.renderer.send(req, res, 'dev-mailbox/message', { title: message.subject, message, parts });
  }
}
