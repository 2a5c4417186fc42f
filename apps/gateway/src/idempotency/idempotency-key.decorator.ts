import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/app-error';
import { acceptedIdempotencyKey } from './idempotency-key';

/** The `Idempotency-Key` the interceptor accepted; only on `@Idempotent()` routes. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const key = acceptedIdempotencyKey(ctx.switchToHttp().getRequest<Request>());
  if (key === undefined) throw new AppError('internal.error', 'IdempotencyKey used on a route without @Idempotent()');
  return key;
});
