import { CallHandler, ExecutionContext, Injectable, NestInterceptor, Logger } from '@nestjs/common';
import { UsiError } from '@usi/contract';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, Observable, of, throwError } from 'rxjs';
import { statusForCode } from '../common/errors/error-status';
import { TenantContext } from '../common/request-context/tenant-context.service';
import type { VendorId } from '../database/vendor-id';
import { IDEMPOTENCY_REPLAYED_HEADER, readIdempotencyKey } from './idempotency-key';
import { IdempotencyService } from './idempotency.service';
import { StoredResponse } from './idempotency.types';
import { requestFingerprint } from './request-fingerprint';

const REPLAYED_HEADERS = ['content-type', 'location', 'retry-after'] as const;
/**
 * Put on non-read routes with `@Idempotent()`. Runs after authentication (it needs the vendor). Only outcomes of a
 * request that was executed are remembered: success, or a refusal from the USI Registry itself. A request refused
 * before anything was sent upstream (validation, authorisation state) leaves the key unused, so the client can fix
 * the request and retry under the same key; a 5xx or network failure also frees the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly tenant: TenantContext,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const vendorId = this.tenant.requireVendorId();
    const key = readIdempotencyKey(req);
    const hash = requestFingerprint(req.method, req.originalUrl, req.body);

    const begin = await this.idempotency.begin(vendorId, key, hash);
    if (begin.kind === 'replay') return of(replay(res, begin.response));

    return next.handle().pipe(
      concatMap((body) =>
        from(
          this.idempotency
            .complete(vendorId, key, { status: res.statusCode, body, headers: pickHeaders(res) })
            .then(() => body),
        ),
      ),
      catchError((err: unknown) => {
        if (isUpstreamRefusal(err)) {
          this.storeProblemWhenSent(res, vendorId, key);
          return throwError(() => err);
        }
        return from(this.release(vendorId, key)).pipe(concatMap(() => throwError(() => err)));
      }),
    );
  }

  /**
   * The problem+json body is written by the exception filter, after this interceptor; the send is held until the
   * body is stored so that a retry the client makes after seeing it always finds it.
   */
  private storeProblemWhenSent(res: Response, vendorId: VendorId, key: string): void {
    const send = res.send;
    let settled = false;
    res.send = (body?: unknown) => {
      res.send = send;
      settled = true;
      const stored: StoredResponse = { status: res.statusCode, body: parseJson(body), headers: pickHeaders(res) };
      this.idempotency
        .complete(vendorId, key, stored)
        .catch((err: unknown) => {
          this.logger.error({ msg: 'idempotent error response not stored; releasing the key', err });
          return this.release(vendorId, key);
        })
        .finally(() => send.call(res, body));
      return res;
    };
    res.once('close', () => {
      if (!settled) void this.release(vendorId, key);
    });
  }

  private release(vendorId: VendorId, key: string): Promise<void> {
    return this.idempotency.release(vendorId, key).catch((err: unknown) => {
      // The row then expires on its own; until then duplicates get 409 instead of a second upstream call.
      this.logger.error({ msg: 'idempotency key not released', err });
    });
  }
}

function replay(res: Response, stored: StoredResponse): unknown {
  res.status(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
  res.setHeader(IDEMPOTENCY_REPLAYED_HEADER, 'true');
  return stored.body;
}

function pickHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}

/** The `usi.*` codes are the Registry's own answers (ErrorInfo faults); a retry would get the same answer. */
function isUpstreamRefusal(err: unknown): boolean {
  return err instanceof UsiError && err.code.startsWith('usi.') && statusForCode(err.code).status < 500;
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body ?? null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
