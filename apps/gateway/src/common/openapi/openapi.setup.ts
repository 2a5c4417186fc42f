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
};
/** On writes a session may make: without the CSRF token or a same-origin browser. */
const SESSION_WRITE_PROBLEMS: Readonly<Record<string, string[]>> = { '403': ['auth.csrf'] };
/** What it answers on any route that takes a body, public or not. */
const BODY_PROBLEMS: Readonly<Record<string, string[]>> = { '415': ['request.unsupported_media_type'] };

type ProblemResponse = { description?: string; content?: Record<string, { examples?: Record<string, unknown> }> };

type Operation = { security?: Record<string, unknown>[]; requestBody?: unknown; responses?: Record<string, ProblemResponse> };

function guardProblemsOf(method: string, op: Operation): [string, string[]][] {
  const secured = !!op.security?.length;
  const sessionWrite = secured && method !== 'get' && op.security!.some((s) => SESSION_SCHEME in s);
  return [
    ...(secured ? Object.entries(GUARD_PROBLEMS) : []),
    ...(sessionWrite ? Object.entries(SESSION_WRITE_PROBLEMS) : []),
    ...(op.requestBody ? Object.entries(BODY_PROBLEMS) : []),
  ];
}

/** Serves Swagger UI at `/docs` and the raw document at `/docs/openapi.json`. */
export function setupOpenApi(app: INestApplication): void {
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
  SwaggerModule.setup('docs', app, withGuardProblems(document), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
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
