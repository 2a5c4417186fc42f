import { Agent } from 'undici';
import { UsiClientError } from '../errors/usi-client-error';
import { HttpPostOptions, HttpResponse, HttpTransport } from './http-transport';

export interface UndiciHttpTransportOptions {
  /** Sockets kept per origin; the STS and USI are two origins, each reused across calls. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Larger responses are refused: nothing the USI service legitimately returns comes close. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export class UndiciHttpTransport implements HttpTransport {
  private readonly agent: Agent;
  private readonly maxResponseBytes: number;

  constructor(opts: UndiciHttpTransportOptions = {}) {
    this.agent = new Agent({
      connections: opts.connections ?? 16,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
      pipelining: 1,
    });
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async post(url: string, body: string, opts: HttpPostOptions): Promise<HttpResponse> {
    // A timer cleared when the call ends, not AbortSignal.timeout: that timer lives for the whole timeout and, like every
    // timer, holds the async context it was created in, so each request's whole object graph (request, response, CLS
    // store) stayed reachable for 30 s and was promoted to the old generation.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      Math.max(1, opts.timeoutMs),
    );
    const signal = opts.signal ? AbortSignal.any([deadline.signal, opts.signal]) : deadline.signal;
    try {
      // The agent's own `request` with origin and path, not undici's top-level `request(url, …)`: that helper leaves
      // part of every call alive past a scavenge (~1.8 KB per VerifyUSI in request-retention.e2e; none this way).
      const { origin, pathname, search } = new URL(url);
      const res = await this.agent.request({ origin, path: pathname + search, method: 'POST', headers: opts.headers, body, signal });
      const text = await this.readCapped(res.body, signal);
      return { status: res.statusCode, body: text, headers: flattenHeaders(res.headers) };
    } catch (err) {
      throw this.mapError(err, url, opts, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lets a CLI run exit promptly instead of waiting for idle keep-alive sockets to time out. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async readCapped(stream: AsyncIterable<Buffer> & { destroy(err?: Error): void }, signal: AbortSignal): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > this.maxResponseBytes) {
        stream.destroy();
        throw new UsiClientError('upstream.bad_response', `Response exceeds ${this.maxResponseBytes} bytes`, {
          maxBytes: this.maxResponseBytes,
        });
      }
      chunks.push(chunk);
    }
    signal.throwIfAborted();
    return Buffer.concat(chunks).toString('utf8');
  }

  private mapError(err: unknown, url: string, opts: HttpPostOptions, deadline: AbortSignal): UsiClientError {
    if (err instanceof UsiClientError) return err;
    const endpoint = originOf(url);
    if (deadline.aborted) {
      return new UsiClientError('upstream.timeout', `No complete response from ${endpoint} within ${opts.timeoutMs} ms`, {
        endpoint,
        timeoutMs: opts.timeoutMs,
      });
    }
    if (opts.signal?.aborted) {
      return new UsiClientError('upstream.aborted', `Request to ${endpoint} was cancelled`, { endpoint });
    }
    const code = errorCode(err);
    if (code && UNAVAILABLE_CODES.has(code)) {
      return new UsiClientError('upstream.unavailable', `Cannot reach ${endpoint} (${code})`, { endpoint, cause: code });
    }
    return new UsiClientError('upstream.unavailable', `Request to ${endpoint} failed`, { endpoint, cause: code ?? 'unknown' });
  }
}

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

/** Error details carry the origin only, so a query string can never leak into logs. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'invalid-url';
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
