import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import { UsiError } from '@usi/contract';
import type { Request, Response } from 'express';
import { AppError, FieldProblem } from './app-error';
import { isDependencyOutage, problemType, statusForCode } from './error-status';
import { Clock, CLOCK, systemClock } from '../clock';
import { isDatabaseUnavailable, isUnstorableText } from '../../database/pg-error';
import { requestIdOf } from '../request-context/request-id';
import { RESPONSE_AUDITOR, ResponseAuditor } from '../request-context/response-auditor';

/** Nest raises status-only errors (unknown route, bad percent-encoding …); these give them stable codes. */
const HTTP_STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'request.bad_request',
  401: 'auth.unauthenticated',
  403: 'auth.forbidden_scope',
  404: 'request.not_found',
  405: 'request.method_not_allowed',
  413: 'request.payload_too_large',
  415: 'request.unsupported_media_type',
  429: 'auth.too_many_attempts',
};

interface Classified {
  code: string;
  detail: string;
  errors?: FieldProblem[];
  retryAfterSeconds?: number;
  extensions?: Record<string, unknown>;
}

/** The single global filter: every error leaves as `application/problem+json` with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  // Nest's Logger is routed to pino by the app; pino's mixin adds the request id from the CLS context.
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  private readonly outageLog: OutageLogLimiter;

  constructor(
    @Optional() @Inject(RESPONSE_AUDITOR) private readonly auditor?: ResponseAuditor,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.outageLog = new OutageLogLimiter(clock ?? systemClock);
  }

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = this.classify(exception);
    const { status, title } = statusForCode(problem.code);
    const requestId = requestIdOf(req, res);
    if (status >= 500) this.logFailure(exception, problem.code, status, requestId);
    // The audit event commits before the response leaves; a failing audit store must not also swallow the error.
    await this.auditor?.recordResponse(req, res, { status, code: problem.code }).catch((err: unknown) => {
      this.logger.error({ err }, 'audit of failed request not recorded');
    });
    if (res.headersSent) return;
    if (problem.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    res
      .status(status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          ...problem.extensions,
          type: problemType(problem.code),
          title,
          status,
          detail: problem.detail,
          code: problem.code,
          requestId,
          ...(problem.errors ? { errors: problem.errors } : {}),
        }),
      );
  }

  /**
   * A dependency outage is expected, not a bug: one warn line (code, status, request id; no stack, no message, which
   * could quote a driver's or the registry's text), at most one per code per second with the count of those held back.
   * Anything else answered 5xx is unexpected: error level with the exception and its stack.
   */
  private logFailure(exception: unknown, code: string, status: number, requestId: string): void {
    if (!isDependencyOutage(code)) {
      this.logger.error({ err: exception, code, requestId }, 'request failed');
      return;
    }
    const suppressed = this.outageLog.admit(code);
    if (suppressed === undefined) return;
    this.logger.warn({ code, status, requestId, ...(suppressed > 0 ? { suppressed } : {}) }, 'request failed: dependency unavailable');
  }

  private classify(exception: unknown): Classified {
    if (exception instanceof AppError) {
      const retry = exception.details?.retryAfterSeconds;
      return {
        code: exception.code,
        detail: exception.message,
        errors: exception.fieldErrors,
        retryAfterSeconds: typeof retry === 'number' ? retry : undefined,
        extensions: exception.extensions,
      };
    }
    if (exception instanceof UsiError) {
      const errors = exception.details?.errors;
      return { code: exception.code, detail: exception.message, errors: Array.isArray(errors) ? errors : undefined };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_STATUS_CODES[status];
      if (code) return { code, detail: status === 404 ? 'No such resource' : exception.message };
    }
    if (isUnstorableText(exception)) return { code: 'request.invalid_character', detail: 'The request contains a character that cannot be stored' };
    if (isDatabaseUnavailable(exception)) {
      return { code: 'database.unavailable', detail: 'The database did not answer in time; try again shortly', retryAfterSeconds: 1 };
    }
    return { code: 'internal.error', detail: 'An unexpected error occurred' };
  }
}

/**
 * At most one line per code per window: `admit` answers undefined for a line to hold back, else how many were held
 * back for that code since the last line written (reported on that next line).
 */
export class OutageLogLimiter {
  private readonly lastByCode = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 1000,
  ) {}

  admit(code: string): number | undefined {
    const now = this.clock().getTime();
    const last = this.lastByCode.get(code);
    if (last && now - last.at < this.windowMs) {
      last.suppressed += 1;
      return undefined;
    }
    const suppressed = last?.suppressed ?? 0;
    this.lastByCode.set(code, { at: now, suppressed: 0 });
    return suppressed;
  }
}
