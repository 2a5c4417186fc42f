import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ZodValidationPipe } from '@gateway/common/validation/zod-validation.pipe';
import { createOpenApiDocument } from '@gateway/common/openapi/openapi.setup';
import { previewApp } from '@gateway/openapi-document';
import type { Document } from 'openapi-backend';
import { AUDIT_EXAMPLES } from '@gateway/audit/review/audit-review.openapi';
import { ResponseContract } from '../support/openapi-contract';
import { operationsOf, requestExamples, responseExamples } from '../support/openapi-examples';

/**
 * Bodies checked elsewhere: the USI routes' own validators run on their examples against the simulator
 * (usi/usi-openapi.e2e.spec.ts); credential uploads are read by the keystore parser, with real keystores, in
 * credentials/credentials.e2e.spec.ts; job uploads (CSV, JSON, NDJSON) are read by the job input parser, and
 * verification-jobs/verification-jobs.e2e.spec.ts uploads the documented example file.
 */
const CHECKED_ELSEWHERE = /^(post|put) \/v1\/organisations\/\{orgCode\}\/(usi|usis|bulk-uploads|verification-jobs|creation-jobs)|^post \/v1\/(organisations\/\{orgCode\}\/)?credentials$/;

const toOpenApiPath = (...parts: string[]) =>
  `/${parts.map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');

/** Each route's body validator (the pipe of its `@ZodBody`), by `method path` as the document writes it. */
function bodyValidators(app: INestApplication): Map<string, ZodValidationPipe<never>> {
  const validators = new Map<string, ZodValidationPipe<never>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as unknown as { prototype: Record<string, unknown> };
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase();
        const path = toOpenApiPath(Reflect.getMetadata(PATH_METADATA, controller) as string, Reflect.getMetadata(PATH_METADATA, handler) as string);
        const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) as Record<string, { pipes?: unknown[] }> | undefined;
        const pipe = Object.values(args ?? {})
          .flatMap((a) => a.pipes ?? [])
          .find((p): p is ZodValidationPipe<never> => p instanceof ZodValidationPipe && (p as unknown as { where: string }).where === 'body');
        if (pipe) validators.set(`${method} ${path}`, pipe);
      }
    }
  }
  return validators;
}

describe('OpenAPI document: every request example passes its route validator', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await previewApp();
  }, 60_000);
  afterAll(() => app?.close());

  it('finds a validator for every documented body, and each example passes it', () => {
    const validators = bodyValidators(app);
    const failures: string[] = [];
    const checked: string[] = [];
    for (const op of operationsOf(createOpenApiDocument(app) as never)) {
      const name = `${op.method} ${op.path}`;
      if (!op.requestBody || CHECKED_ELSEWHERE.test(name)) continue;
      const validator = validators.get(name);
      const examples = requestExamples(op);
      if (!validator) failures.push(`${name}: no body validator found`);
      if (!examples.length) failures.push(`${name}: no request example`);
      for (const example of examples) {
        try {
          validator?.transform(example);
          checked.push(name);
        } catch (err) {
          failures.push(`${name}: ${JSON.stringify((err as { fieldErrors?: unknown }).fieldErrors ?? (err as Error).message)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['post /v1/organisations', 'post /v1/organisations/{orgCode}/authorisations', 'post /v1/auth/login']));
  });
});

describe('OpenAPI document: every response example fits its schema', () => {
  let contract: ResponseContract;
  let document: Document;
  beforeAll(async () => {
    const app = await previewApp();
    try {
      document = createOpenApiDocument(app) as unknown as Document;
    } finally {
      await app.close();
    }
    // The validator the e2e suites check live responses with (AJV, objects closed where the document says nothing).
    contract = await ResponseContract.of(document);
  }, 60_000);

  it('validates every documented JSON response example, problem examples included, against its response schema', () => {
    const failures: string[] = [];
    const checked: string[] = [];
    for (const op of operationsOf(document as never)) {
      for (const example of responseExamples(op)) {
        const where = `${op.method} ${op.path} → ${example.status} ${example.mediaType} ${example.name}`;
        failures.push(...contract.checkExample(op.method, op.path, example.status, example.value).map((e) => `${where}: ${e}`));
        checked.push(`${op.method} ${op.path} ${example.status} ${example.name}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining([
        'get /v1/audit/events 200 example',
        'get /v1/audit/requests/{requestId} 200 example',
        'get /v1/audit/verify 200 one',
        'get /v1/audit/verify 200 every',
      ]),
    );
  });

  it('documents the audit answers with a schema that refuses what the gateway never sends', () => {
    const { keyId: _keyId, ...unkeyed } = AUDIT_EXAMPLES.page.items[0];
    expect(contract.checkExample('get', '/v1/audit/events', '200', { ...AUDIT_EXAMPLES.page, items: [unkeyed] })).not.toEqual([]);
    expect(contract.checkExample('get', '/v1/audit/events', '200', { ...AUDIT_EXAMPLES.page, extra: 1 })).not.toEqual([]);
    const [exchange] = AUDIT_EXAMPLES.story.exchanges;
    expect(contract.checkExample('get', '/v1/audit/requests/{requestId}', '200', { ...AUDIT_EXAMPLES.story, exchanges: [{ ...exchange, outcome: 'maybe' }] })).not.toEqual([]);
    expect(contract.checkExample('get', '/v1/audit/requests/{requestId}', '200', { ...AUDIT_EXAMPLES.story, actor: { ...AUDIT_EXAMPLES.story.actor, kind: null } })).toEqual([]);
    expect(contract.checkExample('get', '/v1/audit/requests/{requestId}', '200', { ...AUDIT_EXAMPLES.story, actor: { ...AUDIT_EXAMPLES.story.actor, kind: 'robot' } })).not.toEqual([]);
    expect(contract.checkExample('get', '/v1/audit/verify', '200', { ...AUDIT_EXAMPLES.chain, checked: '17' })).not.toEqual([]);
    expect(contract.checkExample('get', '/v1/audit/verify', '200', { ok: true, chains: [{ ...AUDIT_EXAMPLES.chain, brokenAt: { id: null, chainSeq: 3, reason: 'gone' } }] })).not.toEqual([]);
  });
});
