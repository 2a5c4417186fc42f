import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../common/auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ApiProblems } from '../common/openapi/api-problem.decorator';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { hasMetricsToken, METRICS_CONTENT_TYPE } from './metrics-access';
import { MetricsService } from './metrics.service';

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'With `METRICS_PORT` set, served on that port only (404 here). With `METRICS_TOKEN` set, needs ' +
      '`Authorization: Bearer <METRICS_TOKEN>`. With neither (development, the embedded demo) open to anyone; production ' +
      'refuses to start without one of them.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string', example: 'http_request_duration_seconds_count{method="GET",route="/v1/vendor",status="200"} 3' } })
  @ApiProblems('auth.unauthenticated', 'request.not_found')
  render(@Req() req: Request): Promise<string> {
    const { port, token } = this.config.metrics;
    if (port !== undefined) throw new AppError('request.not_found', 'No such resource');
    if (token !== undefined && !hasMetricsToken(req.headers.authorization, token)) {
      throw new AppError('auth.unauthenticated', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>');
    }
    return this.metrics.render();
  }
}
