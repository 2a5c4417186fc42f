import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_STATUS } from '../errors/error-status';
import { problemExample } from './api-problem.decorator';

export const API_KEY_SCHEME = 'apiKey';
export const SESSION_SCHEME = 'session';
const PROBLEM_CONTENT = 'application/problem+json';

/** The one shape of every error body (ProblemDetailsFilter); some codes add members such as `upstream` or `guidance`. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string', description: 'A URL naming the problem; `/docs/errors` explains each code.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^[a-z_]+\\.[a-z_]+$', description: 'Stable, machine-readable: branch on this.' },
    requestId: { type: 'string', description: 'Quote it to support; the audit trail is keyed by it.' },
    errors: {
      type: 'array',
      description: 'Every field problem at once (`request.validation`, `usi.validation`).',
      items: {
        type: 'object',
        required: ['path', 'code', 'message'],
        properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

/** What the global AuthGuard answers on any route that is not `@Public()`. */
const GUARD_PROBLEMS: Readonly<Record<string, string[]>> = {
  '401': ['auth.unauthenticated', 'auth.invalid_api_key'],
  '403': ['auth.forbidden_scope'],
  '429': ['auth.too_many_failures'],
};
/** On writes a session may make: without the CSRF token or a same-origin browser. */
const SESSION_WRITE_PROBLEMS: Readonly<Record<string, string[]>> = { '403': ['auth.csrf'] };

type ProblemResponse = { description?: string; content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };

type Operation = { security?: Record<string, unknown>[]; requestBody?: unknown; responses?: Record<string, ProblemResponse> };

/**
 * What the checks in front of every route answer (rejectNulInUrl, RequestMediaTypes, the JSON parser,
 * bodyParserErrors): on every operation, since a body sent to a route that takes none is refused too (415).
 */
const FRONT_PROBLEMS: Readonly<Record<string, string[]>> = {
  '400': ['request.malformed_json', 'request.bad_encoding', 'request.too_deep', 'request.invalid_character', 'request.bad_request'],
  '413': ['request.payload_too_large'],
  '415': ['request.unsupported_media_type', 'request.unsupported_encoding'],
};

/**
 * What the front of the app answers for an operation, besides the route's own codes: the global guard on every
 * secured operation (any lookup of a key or session can meet a database past its deadline), the URL and body checks,
 * and an unexpected failure anywhere.
 */
function frontProblemsOf(method: string, op: Operation): [string, string[]][] {
  const secured = !!op.security?.length;
  const sessionWrite = secured && method !== 'get' && op.security!.some((s) => SESSION_SCHEME in s);
  return [
    ...(secured ? Object.entries(GUARD_PROBLEMS) : []),
    ...(sessionWrite ? Object.entries(SESSION_WRITE_PROBLEMS) : []),
    ...Object.entries(FRONT_PROBLEMS),
    ...(secured ? [['503', ['database.unavailable']] as [string, string[]]] : []),
    ['500', ['internal.error']],
  ];
}

/** The document the gateway serves; also built without a database (Nest's preview mode) by `npm run sdk`. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('USI Gateway')
      .setDescription(
        'Multi-tenant gateway to the USI Registry. Errors are application/problem+json with a stable `code` ' +
          '(schema `Problem`; `/docs/errors` explains each).',
      )
      .setVersion('1')
      // An opaque API key sent as a bearer token (not a JWT: nothing in it can be decoded).
      .addSecurity(API_KEY_SCHEME, { type: 'http', scheme: 'bearer', description: 'API key (`usi_live_…`), sent as `Authorization: Bearer usi_live_…`' })
      .addCookieAuth('usi_session', { type: 'apiKey', in: 'cookie', description: 'Session cookie from `POST /v1/auth/login`; writes also need `X-CSRF-Token`.' }, SESSION_SCHEME)
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never } };
  return withFrontProblems(document);
}

/** Serves Swagger UI at `/docs` and the raw document at `/docs/openapi.json`, and returns the document served. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const served = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, served, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return served;
}

/**
 * The guard and the body checks run in front of every route, so their answers are added here rather than repeated on
 * every controller; every problem response also gets the `Problem` schema. A route's own codes are kept: the guard
 * decorators' plain `application/json` schema makes Swagger drop the problem+json content, but each documented code is
 * still named in the description.
 */
export function withFrontProblems(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
      if (!op?.responses) continue;
      for (const [status, codes] of frontProblemsOf(method, op)) op.responses[status] = withCodes(op.responses[status], codes);
      for (const [status, response] of Object.entries(op.responses)) {
        if (isProblem(status, response)) op.responses[status] = withCodes(response, []);
      }
    }
  }
  return document;
}

/** An error answer from the filter: problem+json, or the access decorators' plain-JSON stand-in naming a code. */
const isProblem = (status: string, response: ProblemResponse): boolean =>
  !!response.content?.[PROBLEM_CONTENT] || (/^[45]\d\d$/.test(status) && JSON.stringify(response.content?.['application/json'] ?? {}).includes('"code"'));

/** `response` with `codes` added to its problem examples (and any code its description names), typed as `Problem`. */
function withCodes(response: ProblemResponse = {}, codes: string[]): ProblemResponse {
  const problem = response.content?.[PROBLEM_CONTENT] ?? {};
  const described = (response.description ?? '').split(/[\s,]+/).filter((c) => c in ERROR_STATUS);
  const missing = [...described, ...codes].filter((c) => !problem.examples?.[c]);
  const examples = { ...problem.examples, ...Object.fromEntries(missing.map((c) => [c, { value: problemExample(c) }])) };
  // Only problem+json: the filter sends nothing else on an error, whatever the route produces on success.
  return {
    ...response,
    description: Object.keys(examples).join(', '),
    content: { [PROBLEM_CONTENT]: { ...problem, schema: { $ref: '#/components/schemas/Problem' }, examples } },
  };
}
