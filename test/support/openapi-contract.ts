import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document, type Operation } from 'openapi-backend';
import { createOpenApiDocument } from '@gateway/common/openapi/openapi.setup';
import { violations } from './contract-violations';

/**
 * The e2e suites' response contract: every response the gateway sends to a test is checked against the OpenAPI
 * document it serves (status, content type, JSON schema). openapi-backend (AJV) matches the operation and validates
 * the body; it only validates `application/json` bodies, so the copy it gets also carries each problem+json schema under
 * that key. Object schemas are made closed in that copy (`additionalProperties: false` where the document says
 * nothing), so a field the document does not name fails too. Violations are collected here and fail the running test
 * (`openapi-contract.setup.ts`, an `afterEach` for every suite).
 */

type Json = Record<string, unknown>;
type Responses = Record<string, { content?: Record<string, { schema?: Json }> }>;

/** Responses nobody asked the document about: Swagger UI and the document itself. */
const UNCHECKED = /^\/docs(\/|$)/;

function closeObjects(schema: unknown, insideAllOf = false): void {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(schema)) return schema.forEach((s) => closeObjects(s, insideAllOf));
  const s = schema as Json;
  if (s.properties && s.additionalProperties === undefined && !insideAllOf) s.additionalProperties = false;
  for (const [key, value] of Object.entries(s)) {
    if (key === 'example' || key === 'examples') continue;
    closeObjects(value, insideAllOf || key === 'allOf');
  }
}

/** The validator's copy: problem+json schemas also under application/json, objects closed. */
function validatorCopy(document: Document): Document {
  // Through JSON, as the document is served: a schema object shared by two places in the built document (one
  // constant used twice) must not be one object to the validator, which would compile it into an invalid schema.
  const copy = JSON.parse(JSON.stringify(document)) as Document;
  for (const methods of Object.values(copy.paths ?? {}) as Record<string, { responses?: Responses }>[]) {
    for (const op of Object.values(methods)) {
      for (const response of Object.values(op?.responses ?? {})) {
        const problem = response.content?.['application/problem+json'];
        if (problem && !response.content!['application/json']) response.content!['application/json'] = problem;
      }
    }
  }
  closeObjects(copy.paths);
  closeObjects(copy.components);
  return copy;
}

export class ResponseContract {
  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly document: Document,
  ) {}

  static async of(document: Document): Promise<ResponseContract> {
    // `quick`: validators compile on first use; a suite touches a few operations, not all of them.
    const api = new OpenAPIBackend({ definition: validatorCopy(document), quick: true, ajvOpts: { strict: false }, customizeAjv: (ajv) => addFormats(ajv) });
    await api.init();
    return new ResponseContract(api, document);
  }

  /**
   * What is wrong with a documented response example (`status` of the operation at `method path`, as the document
   * writes them), judged by the same validator as the live responses; nothing when it fits its schema.
   */
  checkExample(method: string, path: string, status: string, example: unknown): string[] {
    const op = this.api.getOperations().find((o) => o.method === method && o.path === path);
    if (!op) return [`${method} ${path}: no such operation`];
    const result = this.api.validator.validateResponse(example, op, Number(status));
    return (result.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  /** What is wrong with one response, or nothing. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: string): string[] {
    const [path, query = ''] = url.split('?');
    if (UNCHECKED.test(path)) return [];
    const op = this.api.router.matchOperation({ method, path, query, headers: {} }) as Operation | undefined;
    if (!op) return [];
    const where = `${method} ${path} → ${status}`;
    const documented = (this.document.paths![op.path] as Record<string, { responses: Responses }>)[op.method].responses;
    const response = documented[String(status)];
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(documented).join(', ')})`];
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    const types = Object.keys(response.content ?? {});
    if (!mediaType) return types.length && body.length ? [`${where}: no content type, documented ${types.join(', ')}`] : [];
    if (!types.includes(mediaType!)) return [`${where}: content type ${mediaType} not documented (${types.join(', ') || 'no body'})`];
    if (!/json$/.test(mediaType)) return [];
    const result = this.api.validator.validateResponse(JSON.parse(body), op, status);
    return (result.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
}

/** Checks every response `server` sends; one listener ahead of Express, so the app itself is untouched. */
export async function checkResponsesAgainstDocument(app: INestApplication, server: Server): Promise<void> {
  const contract = await ResponseContract.of(createOpenApiDocument(app) as unknown as Document);
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding as BufferEncoding));
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => (keep(args[0], args[1]), write(...args))) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      try {
        const header = res.getHeader('content-type');
        violations.push(...contract.check(req.method ?? 'GET', req.url ?? '/', res.statusCode, header === undefined ? undefined : String(header), Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        violations.push(`${req.method} ${req.url}: response not checkable: ${(err as Error).message}`);
      }
      return end(...args);
    }) as typeof res.end;
  });
}
