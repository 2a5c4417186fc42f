import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiProblem } from '../common/openapi/api-problem.decorator';
import { RateLimitGuard } from './rate-limit.guard';

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Quota of the policy closest to running out', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in that policy', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until that policy is full again', schema: { type: 'integer' } },
  'RateLimit-Policy': { description: 'Every policy applied, e.g. `600;w=60;comment="vendor"`', schema: { type: 'string' } },
};

/** Per-vendor and per-organisation rate limits on a controller or route, with the `RateLimit-*` headers. */
export const RateLimited = () =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    ApiResponse({ status: '2XX', description: 'Every response carries the rate-limit headers.', headers: RATE_LIMIT_HEADERS }),
    ApiProblem('rate_limit.exceeded'),
  );
