import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { webSourceDir } from '../rendering/web-source';

/** The hand-written stylesheet, served by the app itself (no CDN), the same for everyone. */
@Controller('assets')
@Public()
@ApiExcludeController()
export class AssetsController {
  private readonly css = readFileSync(join(webSourceDir(), 'assets', 'site.css'), 'utf8');

  @Get('site.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  stylesheet(): string {
    return this.css;
  }
}
