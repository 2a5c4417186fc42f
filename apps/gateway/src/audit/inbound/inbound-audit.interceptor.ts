import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { concatMap, Observable } from 'rxjs';
import { InboundAuditRecorder } from './inbound-audit.recorder';

/**
 * Records successful requests after the handler and before Nest writes the body, so the event is committed before
 * the client sees the response. Failures are recorded by the exception filter through the same recorder.
 */
@Injectable()
export class InboundAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly recorder: InboundAuditRecorder,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        await this.recorder.recordResponse(req, res, { status: this.statusOf(context, req, res) });
        return body;
      }),
    );
  }

  /** Nest applies `@HttpCode` (or its 201-for-POST default) only after interceptors run. */
  private statusOf(context: ExecutionContext, req: Request, res: Response): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    if (declared !== undefined) return declared;
    if (res.headersSent || res.statusCode !== HttpStatus.OK) return res.statusCode;
    return req.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK;
  }
}
