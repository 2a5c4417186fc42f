import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { problemType, statusForCode } from '../errors/error-status';

/** Extra members a problem example shows for some codes (e.g. `upstream`, `guidance`). */
export type ProblemExtras = (code: string) => Record<string, unknown>;

const PROBLEM_CONTENT = 'application/problem+json';
/** `DECORATORS.API_RESPONSE` of @nestjs/swagger, whose package exports do not expose its constants. */
const API_RESPONSE_METADATA = 'swagger/apiResponse';

export function problemExample(code: string, extras?: ProblemExtras): Record<string, unknown> {
  const { status, title } = statusForCode(code);
  return { type: problemType(code), title, status, detail: title, code, requestId: 'b3c1…', ...extras?.(code) };
}

type Examples = Record<string, { value: unknown }>;
type Responses = Record<string, { description?: string; content?: Record<string, { examples?: Examples }> }>;

const examplesOf = (responses: Responses | undefined, status: number): Examples | undefined => responses?.[status]?.content?.[PROBLEM_CONTENT]?.examples;

const problemResponse = (examples: Examples) => ({ description: Object.keys(examples).join(', '), content: { [PROBLEM_CONTENT]: { examples } } });

/**
 * One problem response for `status`, merged with what an earlier decorator on the same route or class already
 * documented for that status: OpenAPI keys responses by status, so a plain second `ApiResponse` would overwrite.
 * On a controller the codes are also merged into every route that documents the same status itself: @nestjs/swagger
 * lets a route's response for a status replace its controller's, which dropped the controller's codes from it.
 * (Class decorators run after method decorators, so the routes' own responses are known here.)
 */
function mergedProblemResponse(status: number, codes: string[], extras?: ProblemExtras): MethodDecorator & ClassDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const examples: Examples = {
      ...examplesOf(Reflect.getMetadata(API_RESPONSE_METADATA, holder) as Responses | undefined, status),
      ...Object.fromEntries(codes.map((code) => [code, { value: problemExample(code, extras) }])),
    };
    const decorate = ApiResponse({ status, ...problemResponse(examples) });
    if (descriptor) return decorate(target, key!, descriptor);
    (decorate as ClassDecorator)(target as never);
    mergeIntoRoutes(target as { prototype: Record<string, unknown> }, status, examples);
  }) as MethodDecorator & ClassDecorator;
}

function mergeIntoRoutes(controller: { prototype: Record<string, unknown> }, status: number, examples: Examples): void {
  for (const name of Object.getOwnPropertyNames(controller.prototype)) {
    const route = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
    if (name === 'constructor' || typeof route !== 'function') continue;
    const responses = Reflect.getMetadata(API_RESPONSE_METADATA, route) as Responses | undefined;
    const own = examplesOf(responses, status);
    if (!responses || !own) continue;
    const merged = { ...examples, ...own };
    Reflect.defineMetadata(API_RESPONSE_METADATA, { ...responses, [status]: { ...responses[status], ...problemResponse(merged) } }, route);
  }
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
