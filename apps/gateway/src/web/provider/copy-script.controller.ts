import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { webSourceDir } from '../rendering/web-source';

/** The copy buttons' script (assets/copy.js), from the app itself: the CSP allows scripts from 'self' only. */
@Controller('assets')
@Public()
@ApiExcludeController()
export class CopyScriptController {
  private readonly script = readFileSync(join(webSourceDir(), 'assets', 'copy.js'), 'utf8');

  @Get('copy.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  copyScript(): string {
    return this.script;
  }
}
