import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ZodValidationPipe } from '@gateway/common/validation/zod-validation.pipe';
import { createOpenApiDocument } from '@gateway/common/openapi/openapi.setup';
import { previewApp } from '@gateway/openapi-document';
import { operationsOf, requestExamples } from '../support/openapi-examples';

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
