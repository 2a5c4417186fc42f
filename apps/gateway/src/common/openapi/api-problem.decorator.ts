import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { statusForCode } from '../errors/error-status';

/** Extra members a problem example shows for some codes (e.g. `upstream`, `guidance`). */
export type ProblemExtras = (code: string) => Record<string, unknown>;

const PROBLEM_CONTENT = 'application/problem+json';
/** `DECORATORS.API_RESPONSE` of @nestjs/swagger, whose package exports do not expose its constants. */
const API_RESPONSE_METADATA = 'swagger/apiResponse';

export function problemExample(code: string, extras?: ProblemExtras): Record<string, unknown> {
  const { status, title } = statusForCode(code);
  return { type: `https://usi-gateway.dev/problems/${code}`, title, status, detail: title, code, requestId: 'b3c1…', ...extras?.(code) };
}

type Examples = Record<string, { value: unknown }>;

/**
 * One problem response for `status`, merged with what an earlier decorator on the same route or class already
 * documented for that status: OpenAPI keys responses by status, so a plain second `ApiResponse` would overwrite.
 */
function mergedProblemResponse(status: number, codes: string[], extras?: ProblemExtras): MethodDecorator & ClassDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const earlier = (Reflect.getMetadata(API_RESPONSE_METADATA, holder) as Record<string, { content?: Record<string, { examples?: Examples }> }> | undefined)?.[status];
    const examples: Examples = {
      ...earlier?.content?.[PROBLEM_CONTENT]?.examples,
      ...Object.fromEntries(codes.map((code) => [code, { value: problemExample(code, extras) }])),
    };
    const decorate = ApiResponse({ status, description: Object.keys(examples).join(', '), content: { [PROBLEM_CONTENT]: { examples } } });
    return descriptor ? decorate(target, key!, descriptor) : (decorate as ClassDecorator)(target as never);
  }) as MethodDecorator & ClassDecorator;
}

/** Documents each problem `code` a route (or every route of a controller) can return, grouped by HTTP status. */
export function problemResponses(codes: string[], extras?: ProblemExtras) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = statusForCode(code).status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(...[...byStatus].map(([status, group]) => mergedProblemResponse(status, group, extras)));
}

export const ApiProblems = (...codes: string[]) => problemResponses(codes);

export const ApiProblem = (code: string) => problemResponses([code]);
