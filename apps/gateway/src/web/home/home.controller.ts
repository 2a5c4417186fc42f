import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { WebPage } from '../session/web-page.decorator';

/** `GET /`: what the product is, and the ways in (sign in, sign up, the API documentation). */
@Controller()
@WebPage({ access: 'anyone' })
export class HomeController {
  constructor(private readonly renderer: WebPageRenderer) {}

  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    this.renderer.send(req, res, 'home', { title: 'USI Gateway' });
  }
}
