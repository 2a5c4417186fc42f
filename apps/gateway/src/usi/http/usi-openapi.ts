import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { statusForCode } from '../../common/errors/error-status';

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

/**
 * Documents every problem code a route can return. Several codes share a status (403, 503 …), and OpenAPI keys
 * responses by status, so codes are grouped: one response per status with one named example per code.
 */
export const ApiUsiProblems = (...routeCodes: string[]) => {
  const byStatus = new Map<number, string[]>();
  for (const code of [...routeCodes, ...COMMON_CODES]) {
    const { status } = statusForCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        description: codes.join(', '),
        content: {
          'application/problem+json': {
            examples: Object.fromEntries(codes.map((code) => [code, { value: problemExample(code) }])),
          },
        },
      }),
    ),
  );
};

function problemExample(code: string): Record<string, unknown> {
  const { status, title } = statusForCode(code);
  const example: Record<string, unknown> = { type: `https://usi-gateway.dev/problems/${code}`, title, status, detail: title, code, requestId: 'b3c1…' };
  if (code.startsWith('usi.')) example.upstream = { code: '1002', title: 'Generic Validation', message: '…' };
  if (code === 'authorisation.not_active' || code === 'sts.notification_missing') {
    example.guidance = { vendorAbn: '11000002568', softwareId: '0000123400', steps: ['Log in to RAM …'] };
  }
  if (code === 'request.validation') example.errors = [{ path: 'usi', code: 'usi_check_character', message: '…' }];
  return example;
}

export const ApiUsiBody = (example: unknown, description?: string) =>
  ApiBody({ description, schema: { type: 'object', example } });

export const ApiUsiOk = (status: number, example: unknown) => ApiResponse({ status, schema: { example } });
