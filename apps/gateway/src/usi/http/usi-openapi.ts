import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { problemResponses } from '../../common/openapi/api-problem.decorator';

/** Codes every USI route can answer, besides its own. */
const COMMON_CODES = [
  'auth.invalid_api_key',
  'auth.forbidden_scope',
  'organisation.not_found',
  'authorisation.not_active',
  'credential.none_active',
  'sts.fault',
  'sts.notification_missing',
  'usi.organisation_not_authorised',
  'usi.service_unavailable',
  'usi.error',
  'upstream.timeout',
  'upstream.unavailable',
  'upstream.bad_response',
];

/** Every problem code a USI route can return: its own and the common ones, with the USI-specific members. */
export const ApiUsiProblems = (...routeCodes: string[]) => problemResponses([...routeCodes, ...COMMON_CODES], usiProblemExtras);

function usiProblemExtras(code: string): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (code.startsWith('usi.')) extras.upstream = { code: '1002', title: 'Generic Validation', message: '…' };
  if (code === 'authorisation.not_active' || code === 'sts.notification_missing') {
    extras.guidance = { vendorAbn: '11000002568', softwareId: '0000123400', steps: ['Log in to RAM …'] };
  }
  if (code === 'request.validation') extras.errors = [{ path: 'usi', code: 'usi_check_character', message: '…' }];
  return extras;
}

export const ApiUsiBody = (example: unknown, description?: string) =>
  ApiBody({ description, schema: { type: 'object', example } });

export const ApiUsiOk = (status: number, example: unknown) => ApiResponse({ status, schema: { example } });
