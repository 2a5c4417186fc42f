import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator';
import { HealthService, ReadinessReport } from './health.service';

const READY_EXAMPLE: ReadinessReport = {
  status: 'ok',
  checks: {
    database: { status: 'up' },
    queue: { status: 'up', backend: 'redis' },
    upstreamClock: { status: 'up', offsetSeconds: 0.4, measuredAt: '2026-03-01T00:10:00.000Z' },
  },
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Get('live')
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiOperation({ summary: 'Liveness probe', description: 'For an orchestrator: the process answers (restart it if not).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ schema: { example: READY_EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down, or the clock is more than 4 minutes from the ATO token service; the body says which.',
    schema: { example: { ...READY_EXAMPLE, status: 'error', checks: { ...READY_EXAMPLE.checks, database: { status: 'down', error: 'connect ECONNREFUSED' } } } },
  })
  @ApiOperation({ summary: 'Readiness probe', description: 'For a load balancer: send traffic only while the database, the queue store and the clock are fine.' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const report = await this.service.readiness();
    if (report.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
