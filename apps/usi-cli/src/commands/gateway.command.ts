import { UsiError, validateRequest } from '@usi/contract';
import { GatewayClient, type paths, type Problem } from '@usi/gateway-client';
import { CliIo } from '../cli-io';
import { CliOptions, positiveInt, requireOption } from '../cli-options';
import { UsageError } from '../usage-error';
import { verifyFromFlags } from '../verify-flags';

const USAGE = 'usage: usi gateway status|verify --url URL --key KEY (or USI_GATEWAY_URL, USI_GATEWAY_KEY) [verify flags]';
type VerifyBody = NonNullable<paths['/v1/organisations/{orgCode}/usi/verify']['post']['requestBody']>['content']['application/json'];

/**
 * `usi gateway status|verify`: calls a running USI Gateway over its REST API through `@usi/gateway-client`, with an API
 * key from `--key` or USI_GATEWAY_KEY (so it stays out of shell history). A problem answer fails with its own `code`,
 * `detail` as the message, and the HTTP status.
 */
export async function gatewayCommand(args: string[], options: CliOptions, io: CliIo): Promise<unknown> {
  const [sub, ...rest] = args;
  if ((sub !== 'status' && sub !== 'verify') || rest.length > 0) throw new UsageError(USAGE);
  if (sub === 'verify') {
    // Checked before any I/O, like the direct `usi verify`: a bad flag is a usage error, not a gateway round trip.
    const orgCode = requireOption(options, 'org');
    const body = verifyFromFlags(options);
    const checked = validateRequest('VerifyUSI', { ...body, orgCode }, { now: (io.clock ?? (() => new Date()))() });
    if (!checked.ok) throw new UsageError('Invalid VerifyUSI request', { errors: checked.errors }, 'cli.invalid_request');
    const client = clientOf(options, io);
    return answer(await send(() => client.call('post', '/v1/organisations/{orgCode}/usi/verify', { path: { orgCode }, body: body as VerifyBody })));
  }
  const client = clientOf(options, io);
  return answer(await send(() => client.call('get', '/v1/status')));
}

function clientOf(options: CliOptions, io: CliIo): GatewayClient {
  const baseUrl = (options.url ?? io.env.USI_GATEWAY_URL ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new UsageError('--url (or USI_GATEWAY_URL) is required: the gateway, e.g. https://usi-gateway.example');
  const apiKey = options.key ?? io.env.USI_GATEWAY_KEY;
  if (!apiKey) throw new UsageError('--key (or USI_GATEWAY_KEY) is required: an API key of the gateway');
  return new GatewayClient({ baseUrl, apiKey, timeoutMs: positiveInt(options, 'timeout-ms') ?? 30_000 });
}

async function send<R>(call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') throw new UsiError('gateway.timeout', 'The gateway did not answer before the deadline (--timeout-ms)');
    throw new UsiError('gateway.unreachable', `The gateway could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function answer<T>(result: { ok: true; data: T } | { ok: false; status: number; problem: Problem }): T {
  if (result.ok) return result.data;
  const { problem, status } = result;
  // A proxy in front of the gateway may answer without problem+json: still one line with a code.
  if (typeof problem !== 'object' || problem === null) throw new UsiError('gateway.http_error', `HTTP ${status}`, { status });
  throw new UsiError(problem.code ?? 'gateway.http_error', problem.detail ?? problem.title ?? `HTTP ${status}`, {
    status,
    ...(problem.requestId ? { requestId: problem.requestId } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  });
}
