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

/** Every example the operation documents for a JSON response (problem+json included): named, single, or in the schema. */
export function responseExamples(op: DocumentedOperation): { status: string; mediaType: string; name: string; value: unknown }[] {
  const responses = op.responses as Record<string, { content?: Content }>;
  return Object.entries(responses).flatMap(([status, response]) =>
    Object.entries(response.content ?? {})
      .filter(([mediaType]) => /json$/.test(mediaType))
      .flatMap(([mediaType, c]) => {
        const named = Object.entries(c.examples ?? {}).map(([name, e]) => ({ name, value: e.value }));
        const single = c.example ?? c.schema?.example;
        return [...named, ...(single === undefined ? [] : [{ name: 'example', value: single }])].map((e) => ({ status, mediaType, ...e }));
      }),
  );
}
