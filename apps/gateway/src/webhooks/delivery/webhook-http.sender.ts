import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { AddressPolicy, checkAddress } from './address-guard';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Name resolution, injectable so tests can make a name resolve to 127.0.0.1 or 169.254.169.254. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export interface SenderPolicy extends AddressPolicy {
  /** Production: `https` only. */
  requireHttps: boolean;
  /** Deadline of one attempt, resolution included. */
  timeoutMs: number;
}

export interface SendResult {
  ok: boolean;
  status?: number;
  /** The first 1 KB of the response body (for the delivery log). */
  responseBody?: string;
  /** Why no 2xx was received: a refusal by the guard, a network error or the deadline. */
  error?: string;
  durationMs: number;
}

export const RESPONSE_LOG_BYTES = 1024;

/** A URL a vendor may register (checked again at every delivery, since DNS answers change). */
export function urlProblem(raw: string, requireHttps: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && (requireHttps || url.protocol !== 'http:')) {
    return requireHttps ? 'must be an https URL' : 'must be an http or https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  return undefined;
}

class Refused extends Error {}

/**
 * One delivery attempt: POST with a deadline, redirects not followed (a 3xx is a failure), the response read up to
 * 1 KB. The host is resolved here and every answer checked against the SSRF guard; the connection then goes to the
 * checked address itself (a fixed `lookup`), so a second DNS answer cannot swap in another address between the check
 * and the connect. TLS still verifies the certificate against the URL's host name (SNI + Host header unchanged).
 */
export class WebhookHttpSender {
  constructor(
    private readonly policy: SenderPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async send(rawUrl: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.policy.timeoutMs);
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const target = await this.target(rawUrl, deadline.signal);
      const response = await this.post(target, headers, body, deadline.signal);
      return { ...response, ok: Math.floor(response.status / 100) === 2, durationMs: elapsed() };
    } catch (err) {
      const error = deadline.signal.aborted
        ? `timed out after ${this.policy.timeoutMs} ms`
        : err instanceof Refused
          ? err.message
          : `network error: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      return { ok: false, error: error.slice(0, 500), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  private async target(rawUrl: string, signal: AbortSignal): Promise<{ url: URL; address: ResolvedAddress }> {
    const problem = urlProblem(rawUrl, this.policy.requireHttps);
    if (problem) throw new Refused(`refused: URL ${problem}`);
    const url = new URL(rawUrl);
    // Stryker disable next-line Regex: a WHATWG URL's hostname is bracketed whole or not at all, so the anchors cannot matter
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host);
    const addresses = family ? [{ address: host, family: family as 4 | 6 }] : await raceAbort(this.resolve(host), signal);
    if (!addresses.length) throw new Refused('refused: the host name has no address');
    // Every answer must pass: a name that also resolves to a private address is refused whichever one we would pick.
    for (const a of addresses) {
      const verdict = checkAddress(a.address, this.policy);
      if (!verdict.allowed) throw new Refused(`refused: the host resolves to a ${verdict.reason.replace(/_/g, ' ')} address`);
    }
    return { url, address: addresses[0]! };
  }

  private post(
    target: { url: URL; address: ResolvedAddress },
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<{ status: number; responseBody: string }> {
    const { url, address } = target;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          lookup: pinnedLookup(address),
          signal,
          agent: false,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'usi-gateway-webhooks/1' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () => {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, responseBody: Buffer.concat(chunks).subarray(0, RESPONSE_LOG_BYTES).toString('utf8') });
          };
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            // The log keeps 1 KB: stop reading there rather than buffering whatever the receiver sends.
            if (size >= RESPONSE_LOG_BYTES) done();
          });
          res.on('end', done);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The HTTP client's `lookup`: answers the checked address whatever it is asked, in either form Node asks for. */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
}

/**
 * The resolver has no deadline of its own: stop waiting for it when the attempt's deadline passes. (`send` arms the
 * deadline just before, so the signal cannot have fired yet.)
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  return Promise.race([work, aborted]);
}
