import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { example?: unknown; examples?: unknown; schema?: { example?: unknown } }> };
  responses: Record<string, { content?: Record<string, { example?: unknown; examples?: Record<string, unknown>; schema?: unknown }> }>;
}

/** Routes with no JSON body on success (probes, metrics text, 204s) are exempt from the response-example rule. */
const hasExample = (content?: Record<string, { example?: unknown; examples?: unknown; schema?: unknown }>) =>
  Object.values(content ?? {}).some((c) => c.example !== undefined || c.examples !== undefined || JSON.stringify(c.schema ?? {}).includes('"example"'));

/** Every problem code documented on the operation, per status (a single `example` or named `examples`). */
function documentedCodes(op: Operation): Map<string, string[]> {
  const byStatus = new Map<string, string[]>();
  for (const [status, response] of Object.entries(op.responses)) {
    const problem = response.content?.['application/problem+json'];
    if (!problem) continue;
    const examples = problem.examples ? Object.values(problem.examples).map((e) => (e as { value: unknown }).value) : [problem.example];
    byStatus.set(status, examples.map((e) => String((e as { code?: unknown })?.code)));
  }
  return byStatus;
}

describe('OpenAPI document: problem codes and examples on every route', () => {
  let gw: GatewayTestApp;
  let ops: [string, Operation][];
  let schemes: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    gw = await createGatewayApp();
    const doc = (await request(gw.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    schemes = (doc as unknown as { components: { securitySchemes: typeof schemes } }).components.securitySchemes;
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    );
  }, 60_000);
  afterAll(() => gw?.close());

  it('lists 401 on authenticated routes, 404 on routes with path ids and 400 on routes with a body', () => {
    const missing: string[] = [];
    for (const [name, op] of ops) {
      const codes = documentedCodes(op);
      if ((op.security?.length ?? 0) > 0 && !codes.get('401')?.includes('auth.unauthenticated')) missing.push(`${name}: 401 auth.unauthenticated`);
      if ((op.security?.length ?? 0) > 0 && !codes.has('403')) missing.push(`${name}: 403`);
      if (op.parameters?.some((p) => p.in === 'path') && !codes.has('404')) missing.push(`${name}: 404`);
      if (op.requestBody && !codes.get('400')?.some((c) => c.startsWith('request.') || c.startsWith('credential.'))) missing.push(`${name}: 400`);
      for (const [status, list] of codes) {
        for (const code of list) if (!/^[a-z_]+\.[a-z_]+$/.test(code)) missing.push(`${name}: ${status} has no stable code`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("keeps a controller's problem codes on routes that document more codes under the same status", () => {
    const revoke = ops.find(([name]) => name === 'POST /v1/organisations/{orgCode}/authorisations/{id}/revoke')?.[1];
    expect(documentedCodes(revoke!).get('404')?.sort()).toEqual(['authorisation.not_found', 'organisation.not_found']);
  });

  it('has a request example for every body and a response example for every JSON success', () => {
    const missing: string[] = [];
    for (const [name, op] of ops) {
      if (op.requestBody && !hasExample(op.requestBody.content) && !JSON.stringify(op.requestBody).includes('"examples"')) missing.push(`${name}: request example`);
      const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      const json = ok?.[1].content?.['application/json'];
      if (!ok || (ok[0] !== '204' && json !== undefined && !hasExample(ok[1].content))) missing.push(`${name}: response example`);
    }
    expect(missing).toEqual([]);
  });

  it('gives every operation a summary and a when-to-use description, and the API key its true scheme', () => {
    expect(ops.filter(([, op]) => !op.summary?.trim() || !op.description?.trim()).map(([name]) => name)).toEqual([]);
    expect(schemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.apiKey).not.toHaveProperty('bearerFormat');
  });

  it('lists the query parameters the audit routes validate, and the status creations answer', () => {
    const queryOf = (name: string) => ops.find(([n]) => n === name)?.[1].parameters?.filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryOf('GET /v1/audit/events')).toEqual(expect.arrayContaining(['from', 'to', 'organisation', 'usi', 'limit', 'cursor']));
    expect(queryOf('GET /v1/audit/export.csv')).toEqual(expect.arrayContaining(['from', 'to', 'organisation', 'category']));
    expect(queryOf('GET /v1/audit/verify')).toEqual(['organisation', 'vendor']);
    const created = ops.find(([n]) => n === 'POST /v1/organisations/{orgCode}/authorisations')![1];
    expect(Object.keys(created.responses).filter((s) => s.startsWith('2'))).toEqual(['201']);
  });

  it('types every problem response with the Problem schema, and every secured operation has a security requirement', () => {
    const untyped = ops.flatMap(([name, op]) =>
      Object.entries(op.responses)
        .filter(([status]) => /^[45]/.test(status))
        .filter(([, r]) => JSON.stringify(r.content?.['application/problem+json']?.schema) !== JSON.stringify({ $ref: '#/components/schemas/Problem' }))
        .map(([status]) => `${name} ${status}`),
    );
    // The readiness probe's 503 is its report, not a problem.
    expect(untyped).toEqual(['GET /health/ready 503']);
    const open = ops.filter(([, op]) => !op.security?.length).map(([name]) => name).sort();
    expect(open).toEqual(['GET /docs/creation-jobs/example.csv', 'GET /docs/errors', 'GET /docs/verification-jobs/example.csv', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /v1/auth/login', 'POST /v1/auth/logout']);
  });
});
