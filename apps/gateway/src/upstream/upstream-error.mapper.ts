import { ErrorInfo, UsiError } from '@usi/contract';
import { UsiClientError } from '@usi/client';
import { AppError } from '../common/errors/app-error';
import { RamGuidance } from './ram-guidance';

/** ErrorInfo codes the gateway gives their own problem codes; any other code is `usi.error`. */
const ERROR_INFO_CODES: Readonly<Record<number, string>> = {
  1001: 'usi.service_unavailable',
  1002: 'usi.validation',
  2002: 'usi.organisation_not_authorised',
};

/** The registry's 1001 gives no hint; this is what clients are told to wait. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** The STS says "no notification in force" with this event code (m2m-sts.md); it is the RAM step that is missing. */
const NOTIFICATION_MISSING = /notification|E2035/i;

export interface UpstreamErrorContext {
  /** Attached to answers that mean "fix the notification in RAM". */
  guidance: RamGuidance;
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
 * (`upstream`), Retry-After where waiting helps. Anything that is not an upstream answer passes through.
 */
export function mapUpstreamError(err: unknown, ctx: UpstreamErrorContext): unknown {
  if (!(err instanceof UsiClientError)) return err;
  switch (err.code) {
    case 'usi.fault':
      return mapUsiFault(err);
    case 'sts.fault':
      return mapStsFault(err, ctx);
    case 'upstream.aborted':
      return new AppError('upstream.timeout', 'The USI Registry call was abandoned before it completed');
    default:
      return new AppError(err.code, err.message);
  }
}

function mapUsiFault(err: UsiClientError): AppError {
  const infos = errorInfosOf(err);
  const first = infos[0];
  if (!first) {
    // A SOAP fault without ErrorInfo is a protocol-level refusal (security header, action), not a business answer.
    return new AppError('usi.fault', 'The USI Registry refused the message', undefined, undefined, {
      upstream: { code: String(err.details?.subcode ?? 'fault'), title: 'SOAP fault', message: err.message },
    });
  }
  const code = ERROR_INFO_CODES[first.code] ?? 'usi.error';
  const extensions: Record<string, unknown> = { upstream: upstreamOf(first) };
  if (infos.length > 1) extensions.upstreamErrors = infos.map(upstreamOf);
  const details = code === 'usi.service_unavailable' ? { retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } : undefined;
  return new AppError(code, `${first.title}: ${first.message}`, details, undefined, extensions);
}

function mapStsFault(err: UsiClientError, ctx: UpstreamErrorContext): AppError {
  const reason = String(err.details?.reason ?? err.message);
  const subcode = String(err.details?.subcode ?? err.details?.faultCode ?? 'fault');
  const upstream = { code: subcode, title: 'STS fault', message: reason };
  if (NOTIFICATION_MISSING.test(reason)) {
    return new AppError(
      'sts.notification_missing',
      `The ATO refused to let the vendor act for this organisation: ${reason}`,
      undefined,
      undefined,
      { upstream, guidance: ctx.guidance },
    );
  }
  return new AppError('sts.fault', `The ATO token service refused the request: ${reason}`, undefined, undefined, { upstream });
}

function errorInfosOf(err: UsiError): ErrorInfo[] {
  const errors = err.details?.errors;
  return Array.isArray(errors) ? (errors as ErrorInfo[]) : [];
}

function upstreamOf(e: ErrorInfo): { code: string; title: string; message: string } {
  return { code: String(e.code), title: e.title, message: e.message };
}
