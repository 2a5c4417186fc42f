import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_STATUS } from '../errors/error-status';
import { problemExample } from './api-problem.decorator';

export const API_KEY_SCHEME = 'apiKey';
export const SESSION_SCHEME = 'session';

/** What the global AuthGuard answers on any route that is not `@Public()`. */
const GUARD_PROBLEMS: Readonly<Record<string, string[]>> = {
  '401': ['auth.unauthenticated', 'auth.invalid_api_key'],
  '403': ['auth.forbidden_scope'],
  '429': ['auth.too_many_failures'],
};
/** On writes a session may make: without the CSRF token or a same-origin browser. */
const SESSION_WRITE_PROBLEMS: Readonly<Record<string, string[]>> = { '403': ['auth.csrf'] };

type ProblemResponse = { description?: string; content?: Record<string, { examples?: Record<string, unknown> }> };

type Operation = { security?: Record<string, unknown>[]; requestBody?: unknown; responses?: Record<string, ProblemResponse> };

function guardProblemsOf(method: string, op: Operation): [string, string[]][] {
  const secured = !!op.security?.length;
  const sessionWrite = secured && method !== 'get' && op.security!.some((s) => SESSION_SCHEME in s);
  return [
    ...(secured ? Object.entries(GUARD_PROBLEMS) : []),
    ...(sessionWrite ? Object.entries(SESSION_WRITE_PROBLEMS) : []),
  ];
}

/** Serves Swagger UI at `/docs` and the raw document at `/docs/openapi.json`, and returns the document served. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('USI Gateway')
      .setDescription(
        'Multi-tenant gateway to the USI Registry. Errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (`usi_live_…`)' }, API_KEY_SCHEME)
      .addCookieAuth('usi_session', { type: 'apiKey', in: 'cookie' }, SESSION_SCHEME)
      .build(),
  );
  const served = withBodyProblems(withGuardProblems(document));
  SwaggerModule.setup('docs', app, served, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return served;
}

/**
 * The guard is global, so its answers are added here for every secured operation (and its 415 for every operation
 * with a body) rather than repeated on every controller. A route's own 401/403 codes are kept: the guard decorators' plain `application/json` schema makes
 * Swagger drop the problem+json content, but each documented code is still named in the description.
 */
export function withGuardProblems(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
      if (!op?.responses) continue;
      for (const [status, codes] of guardProblemsOf(method, op)) {
        const response: ProblemResponse = op.responses[status] ?? {};
        const problem = response.content?.['application/problem+json'] ?? {};
        const described = (response.description ?? '').split(/[\s,]+/).filter((c) => c in ERROR_STATUS);
        const missing = [...described, ...codes].filter((c) => !problem.examples?.[c]);
        const examples = { ...problem.examples, ...Object.fromEntries(missing.map((c) => [c, { value: problemExample(c) }])) };
        op.responses[status] = {
          description: Object.keys(examples).join(', '),
          content: { 'application/problem+json': { ...problem, examples } },
        };
      }
    }
  }
  return document;
}

/** What the body checks in front of every route answer (RequestMediaTypes, the JSON parser, bodyParserErrors). */
const BODY_PROBLEMS: Readonly<Record<string, string[]>> = {
  '400': ['request.malformed_json', 'request.bad_encoding'],
  '413': ['request.payload_too_large'],
  '415': ['request.unsupported_media_type', 'request.unsupported_encoding'],
};

/** Adds the body checks' answers to every operation that takes a request body, keeping the route's own codes. */
export function withBodyProblems(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const op of Object.values(methods) as { requestBody?: unknown; responses?: Record<string, ProblemResponse> }[]) {
      if (!op?.responses || !op.requestBody) continue;
      for (const [status, codes] of Object.entries(BODY_PROBLEMS)) {
        const response: ProblemResponse = op.responses[status] ?? {};
        const problem = response.content?.['application/problem+json'] ?? {};
        const examples = { ...problem.examples, ...Object.fromEntries(codes.filter((c) => !problem.examples?.[c]).map((c) => [c, { value: problemExample(c) }])) };
        op.responses[status] = {
          ...response,
          description: Object.keys(examples).join(', '),
          content: { ...response.content, 'application/problem+json': { ...problem, examples } },
        };
      }
    }
  }
  return document;
}
