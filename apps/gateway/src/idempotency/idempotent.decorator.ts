import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiProblem } from '../common/openapi/api-problem.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a route idempotent under the `Idempotency-Key` header (required): a retry with the same key and body gets the
 * stored response with `Idempotency-Replayed: true` and causes no second upstream call.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per logical request (1-255 printable ASCII characters), kept 24 h. Retries with the same key and body ' +
        'replay the first response; the same key with a different body is refused.',
      example: 'enrol-2025-000123',
    }),
    ApiResponse({
      status: '2XX',
      description: 'A replayed response carries `Idempotency-Replayed: true`.',
      headers: { 'Idempotency-Replayed': { description: 'Present (`true`) on a replay', schema: { type: 'string' } } },
    }),
    ApiProblem('idempotency.key_required'),
    ApiProblem('idempotency.mismatch'),
    ApiProblem('idempotency.in_progress'),
  );
