/** Reading the served OpenAPI document in tests: its operations and the request example each documents. */
type Content = Record<string, { example?: unknown; examples?: Record<string, { value: unknown }>; schema?: { example?: unknown } }>;

export interface DocumentedOperation {
  method: string;
  path: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Content };
  responses: Record<string, unknown>;
}

export function operationsOf(document: { paths: Record<string, Record<string, Omit<DocumentedOperation, 'method' | 'path'>>> }): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, method, path })));
}

/** Every example the operation documents for its JSON request body (named examples, or the one example). */
export function requestExamples(op: DocumentedOperation): unknown[] {
  const json = op.requestBody?.content?.['application/json'];
  if (!json) return [];
  if (json.examples) return Object.values(json.examples).map((e) => e.value);
  const example = json.example ?? json.schema?.example;
  return example === undefined ? [] : [example];
}

/** The success status the document promises (the one 2xx it lists exactly). */
export const successStatusOf = (op: DocumentedOperation): number => Number(Object.keys(op.responses).find((s) => /^2\d\d$/.test(s)));
