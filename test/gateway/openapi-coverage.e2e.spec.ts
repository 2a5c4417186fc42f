import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../support/gateway-app';

interface Operation {
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

  beforeAll(async () => {
    gw = await createGatewayApp();
    const doc = (await request(gw.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
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
});
