import { ErrorInfo, UsiError } from '@usi/contract';
import { classifyUpstreamError, upstreamProblem, UpstreamProblem, UsiClientError } from '@usi/client';
import { AppError } from '../common/errors/app-error';
import { problemDocsUrl } from '../common/errors/error-status';
import { RamGuidance } from './ram-guidance';
import { CLOCK_FAIL_MS } from './upstream-monitor';

/** The registry's 1001 gives no hint; this is what clients are told to wait. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** WCF's security refusal of a USI message says nothing about which check failed. */
const USI_SECURITY_REFUSAL = /InvalidSecurity|MessageExpired/i;

export interface UpstreamErrorContext {
  /** Attached to answers that mean "fix the notification in RAM". */
  guidance: RamGuidance;
  /** The last STS clock offset this instance read: explains a USI security refusal when it is beyond the window. */
  clockOffsetMs?: number;
  /** The web-service version spoken, named in `upstream.version_outdated`. */
  serviceVersion?: string;
}

/** The `guidance` member of a problem from the table: its meaning, the steps, and the page that explains it. */
export interface UpstreamGuidance {
  meaning: string;
  vendor: readonly string[];
  provider: readonly string[];
  docs: string;
}

export function upstreamGuidance(problem: UpstreamProblem): UpstreamGuidance {
  return { meaning: problem.meaning, vendor: problem.vendor, provider: problem.provider, docs: problemDocsUrl(problem.code) };
}

/** Failures that mean the registry is not answering properly: worth a retry (reads). */
export function isRetryableUpstream(err: unknown): boolean {
  if (!(err instanceof UsiClientError)) return false;
  if (err.code === 'upstream.timeout' || err.code === 'upstream.unavailable') return true;
  return err.code === 'usi.fault' && errorInfosOf(err).some((e) => e.code === 1001);
}

/**
 * Failures that say an endpoint (STS or USI) is not available, counted by that endpoint's circuit breaker: no
 * connection, no answer in time, an HTTP 5xx that is not a SOAP fault (a 503, a proxy's 502/504 page), ErrorInfo 1001.
 * A SOAP fault is an answer about one tenant or one request (an STS refusal such as a missing RAM notification or an
 * untrusted credential, ErrorInfo 2002/1002, a security fault) and never counts, whatever its HTTP status: one
 * provider's mistake must not suspend calls for every vendor. Neither does a deadline that ran out on our side
 * before anything was sent (`upstream.timeout` without an endpoint) nor a cancelled call.
 */
export function isAvailabilityFailure(err: unknown): boolean {
  if (!(err instanceof UsiClientError)) return false;
  switch (err.code) {
    case 'upstream.unavailable':
      return true;
    case 'upstream.timeout':
      return err.details?.endpoint !== undefined;
    case 'upstream.http_error':
    case 'upstream.bad_response':
      return Number(err.details?.httpStatus) >= 500;
    case 'usi.fault':
      return errorInfosOf(err).some((e) => e.code === 1001);
    default:
      return false;
  }
}

/**
 * Turns a client error into the gateway's problem: stable code, the upstream code/title/message in the body
 * (`upstream`), the table's `guidance` (meaning, vendor and provider steps, docs link) for every known upstream error,
 * Retry-After where waiting helps. Anything that is not an upstream answer passes through.
 */
export function mapUpstreamError(err: unknown, ctx: UpstreamErrorContext): unknown {
  if (!(err instanceof UsiClientError)) return err;
  switch (err.code) {
    case 'usi.fault':
      return mapUsiFault(err, ctx);
    case 'sts.fault':
      return mapStsFault(err, ctx);
    case 'upstream.aborted':
      return new AppError('upstream.timeout', 'The USI Registry call was abandoned before it completed');
    default:
      return new AppError(err.code, err.message);
  }
}

function mapUsiFault(err: UsiClientError, ctx: UpstreamErrorContext): AppError {
  const infos = errorInfosOf(err);
  const first = infos[0];
  if (!first) {
    // A SOAP fault without ErrorInfo is a protocol-level refusal (security header, action), not a business answer.
    const upstream = { code: String(err.details?.subcode ?? 'fault'), title: 'SOAP fault', message: err.message };
    if (USI_SECURITY_REFUSAL.test(upstream.code) && ctx.clockOffsetMs !== undefined && Math.abs(ctx.clockOffsetMs) > CLOCK_FAIL_MS) {
      return clockSkew(ctx.clockOffsetMs, upstream, 'The USI Registry refused the message security, and');
    }
    return new AppError('usi.fault', 'The USI Registry refused the message', undefined, undefined, { upstream });
  }
  const problem = classifyUpstreamError(err);
  const code = problem?.code ?? 'usi.error';
  const extensions: Record<string, unknown> = { upstream: upstreamOf(first) };
  if (infos.length > 1) extensions.upstreamErrors = infos.map(upstreamOf);
  if (problem) extensions.guidance = upstreamGuidance(problem);
  if (code === 'upstream.version_outdated') {
    if (ctx.serviceVersion) extensions.serviceVersion = ctx.serviceVersion;
    return new AppError(
      code,
      `The USI Registry no longer accepts web-service version ${ctx.serviceVersion ?? 'in use'}: upgrade USI Gateway or set USI_SERVICE_VERSION`,
      undefined,
      undefined,
      extensions,
    );
  }
  const details = code === 'usi.service_unavailable' ? { retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } : undefined;
  return new AppError(code, `${first.title}: ${first.message}`, details, undefined, extensions);
}

function mapStsFault(err: UsiClientError, ctx: UpstreamErrorContext): AppError {
  const reason = String(err.details?.reason ?? err.message);
  const subcode = String(err.details?.subcode ?? err.details?.faultCode ?? 'fault');
  const upstream = { code: subcode, title: 'STS fault', message: reason };
  const problem = classifyUpstreamError(err);
  if (!problem) {
    return new AppError('sts.fault', `The ATO token service refused the request: ${reason}`, undefined, undefined, { upstream });
  }
  if (problem.code === 'upstream.clock_skew') {
    const offset = typeof err.details?.clockOffsetMs === 'number' ? err.details.clockOffsetMs : ctx.clockOffsetMs;
    return clockSkew(offset, upstream, 'The ATO token service refused the request timestamp:');
  }
  const guidance: Record<string, unknown> = { ...upstreamGuidance(problem) };
  // The RAM steps name this vendor's ABN and this authorisation's software ID.
  if (problem.code === 'sts.notification_missing') Object.assign(guidance, ctx.guidance);
  const lead =
    problem.code === 'sts.notification_missing'
      ? 'The ATO refused to let the vendor act for this organisation'
      : 'The ATO token service refused the request';
  return new AppError(problem.code, `${lead}: ${reason}`, undefined, undefined, { upstream, guidance });
}

function clockSkew(offsetMs: number | undefined, upstream: Record<string, string>, lead: string): AppError {
  const seconds = offsetMs === undefined ? undefined : Math.round(offsetMs / 1000);
  const said =
    seconds === undefined
      ? "the gateway's clock is probably wrong"
      : `the gateway's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'behind' : 'ahead of'} the ATO's`;
  return new AppError('upstream.clock_skew', `${lead} ${said}; synchronise the gateway hosts' clocks (NTP)`, undefined, undefined, {
    upstream,
    ...(seconds === undefined ? {} : { clockOffsetSeconds: seconds }),
    guidance: upstreamGuidance(upstreamProblem('upstream.clock_skew')!),
  });
}

/** The registry's ErrorInfo a mapped problem carries (`upstream`), to tell apart faults that share a problem code. */
export function upstreamErrorInfoOf(err: unknown): ErrorInfo | undefined {
  const upstream = err instanceof AppError ? err.extensions?.upstream : undefined;
  if (!upstream || typeof upstream !== 'object') return undefined;
  const { code, title, message } = upstream as Record<string, unknown>;
  const number = Number(code);
  return Number.isInteger(number) && typeof message === 'string' ? { code: number, title: String(title ?? ''), message } : undefined;
}

function errorInfosOf(err: UsiError): ErrorInfo[] {
  const errors = err.details?.errors;
  return Array.isArray(errors) ? (errors as ErrorInfo[]) : [];
}

function upstreamOf(e: ErrorInfo): { code: string; title: string; message: string } {
  return { code: String(e.code), title: e.title, message: e.message };
}
