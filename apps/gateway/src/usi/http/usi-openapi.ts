import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { UPSTREAM_PROBLEMS, upstreamProblem } from '@usi/client';
import { problemResponses } from '../../common/openapi/api-problem.decorator';
import { upstreamGuidance } from '../../upstream/upstream-error.mapper';

/** Codes every USI route can answer, besides its own: the gateway's and every upstream error of the table. */
const COMMON_CODES = [
  'auth.invalid_api_key',
  'auth.forbidden_scope',
  'organisation.not_found',
  'authorisation.not_active',
  'credential.none_active',
  ...UPSTREAM_PROBLEMS.map((p) => p.code),
  'sts.fault',
  'usi.error',
  'usi.fault',
  'upstream.timeout',
  'upstream.unavailable',
  'upstream.bad_response',
];

/** Every problem code a USI route can return: its own and the common ones, with the USI-specific members. */
export const ApiUsiProblems = (...routeCodes: string[]) => problemResponses([...routeCodes, ...COMMON_CODES], usiProblemExtras);

function usiProblemExtras(code: string): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (code.startsWith('usi.')) extras.upstream = { code: '1002', title: 'Generic Validation', message: '…' };
  const problem = upstreamProblem(code);
  if (problem) extras.guidance = upstreamGuidance(problem);
  if (code === 'authorisation.not_active' || code === 'sts.notification_missing') {
    extras.guidance = { ...extras.guidance as object, vendorAbn: '11000002568', softwareId: '0000123400', steps: ['Log in to RAM …'] };
  }
  if (problem?.source === 'sts') extras.upstream = { code: 'FailedAuthentication', title: 'STS fault', message: '…' };
  if (code === 'upstream.clock_skew') extras.clockOffsetSeconds = 361;
  if (code === 'upstream.version_outdated') {
    extras.upstream = { code: '3458', title: 'Outdated Version', message: '…' };
    extras.serviceVersion = 'v5';
  }
  if (code === 'request.validation') extras.errors = [{ path: 'usi', code: 'usi_check_character', message: '…' }];
  return extras;
}

/** A USI body: its schema (`usi-json-schema.ts`) and a ready-to-send example the contract tests send to the simulator. */
export const ApiUsiBody = (schema: SchemaObject, example: unknown, description?: string) =>
  ApiBody({ description, schema: { ...schema, example } });

export const ApiUsiOk = (status: number, schema: SchemaObject, example: unknown) => ApiResponse({ status, schema: { ...schema, example } });
