import type { components, paths } from './generated/gateway-api';

/**
 * A thin typed client for the USI Gateway's REST API, from the types `npm run sdk` generates from its OpenAPI document:
 * paths, parameters, bodies and answers are checked by the compiler. Global `fetch`, one deadline per call; an error
 * answer is returned as its problem+json (branch on `problem.code`), never thrown. Only a network failure or the
 * deadline throws.
 */
export type Problem = components['schemas']['Problem'];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Path = keyof paths;
type MethodOf<P extends Path> = { [M in Method]: paths[P][M] extends undefined | never ? never : M }[Method];
type Operation<P extends Path, M extends Method> = NonNullable<paths[P][M]>;

type Params<O> = O extends { parameters: infer Q } ? Q : never;
type PathParams<O> = Params<O> extends { path: infer A } ? A : never;
type QueryParams<O> = Params<O> extends { query?: infer A } ? A : never;
type HeaderParams<O> = Params<O> extends { header: infer A } ? A : never;
type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Responses<O> = O extends { responses: infer R } ? R : never;
type SuccessStatus<O> = Extract<keyof Responses<O>, 200 | 201 | 202 | 204>;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** What a call takes: exactly the path, query, headers and body its operation documents. */
export type CallOptions<O> = ([PathParams<O>] extends [never] ? { path?: never } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never | undefined] ? { query?: never } : { query?: QueryParams<O> }) &
  ([HeaderParams<O>] extends [never] ? { headers?: Record<string, string> } : { headers: HeaderParams<O> & Record<string, string> }) &
  ([JsonBody<O>] extends [never] ? { body?: never } : { body: JsonBody<O> }) & { timeoutMs?: number };

export type CallResult<O> =
  | { [S in SuccessStatus<O>]: { ok: true; status: S; data: JsonOf<Responses<O>[S]>; headers: Headers } }[SuccessStatus<O>]
  | { ok: false; status: number; problem: Problem; headers: Headers };

export interface GatewayClientOptions {
  /** e.g. `https://usi-gateway.example` (no trailing slash). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** Deadline of every call unless the call names its own (default 30 s). */
  timeoutMs?: number;
  /** For tests and custom agents; the global `fetch` by default. */
  fetch?: typeof fetch;
}

export class GatewayClient {
  constructor(private readonly options: GatewayClientOptions) {}

  async call<P extends Path, M extends MethodOf<P>>(
    method: M,
    path: P,
    ...[options]: object extends CallOptions<Operation<P, M>> ? [CallOptions<Operation<P, M>>?] : [CallOptions<Operation<P, M>>]
  ): Promise<CallResult<Operation<P, M>>> {
    const { path: pathParams, query, headers, body, timeoutMs } = (options ?? {}) as {
      path?: Record<string, string>;
      query?: Record<string, string | number | undefined>;
      headers?: Record<string, string>;
      body?: unknown;
      timeoutMs?: number;
    };
    const url = new URL(this.options.baseUrl + fillPath(path, pathParams));
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const res = await (this.options.fetch ?? fetch)(url, {
      method: method.toUpperCase(),
      headers: {
        ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    const parsed: unknown = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
    if (res.ok) return { ok: true, status: res.status, data: parsed, headers: res.headers } as CallResult<Operation<P, M>>;
    return { ok: false, status: res.status, problem: parsed as Problem, headers: res.headers };
  }
}

function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`path parameter ${name} missing`);
    return encodeURIComponent(params[name]);
  });
}
