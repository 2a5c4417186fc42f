import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { UPSTREAM_PROBLEMS } from '@usi/client';
import { Public } from '../common/auth/public.decorator';
import { renderErrorDocs } from './error-docs.page';

@ApiTags('docs')
@Public()
@Controller('docs')
export class ErrorDocsController {
  private readonly page = renderErrorDocs(UPSTREAM_PROBLEMS);

  @Get('errors')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiProduces('text/html')
  @ApiOperation({
    summary: 'What each upstream error means and what to do',
    description: 'One entry per known USI ErrorInfo code and ATO token service refusal, anchored by problem code (`/docs/errors#upstream.clock_skew`).',
  })
  @ApiOkResponse({ description: 'HTML page', schema: { type: 'string', example: '<!doctype html>…<section id="upstream.version_outdated">…' } })
  errors(): string {
    return this.page;
  }
}
