import { UsiError } from '@usi/contract';

/**
 * Codes raised by the client. Callers (gateway, CLI, queue workers) switch on these to decide on retries:
 * `upstream.*` are transport-level and may be retried, `sts.fault`/`usi.fault` are answers from the other side.
 */
export type UsiClientErrorCode =
  | 'sts.fault'
  | 'usi.fault'
  | 'upstream.timeout'
  | 'upstream.unavailable'
  | 'upstream.bad_response'
  | 'upstream.http_error'
  | 'upstream.aborted';

export class UsiClientError extends UsiError {
  constructor(
    override readonly code: UsiClientErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}
