import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { AppError } from '../common/errors/app-error';
import { IdempotencyKey } from './idempotency-key.decorator';
import { readIdempotencyKey } from './idempotency-key';

/** The function Nest calls to resolve `@IdempotencyKey()` for a handler parameter. */
function resolverOf(): (data: unknown, ctx: ExecutionContext) => string {
  class Handler {
    run(@IdempotencyKey() _key: string): void {}
  }
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Handler, 'run') as Record<string, { factory: (data: unknown, ctx: ExecutionContext) => string }>;
  return Object.values(args)[0].factory;
}

const contextOf = (req: Request): ExecutionContext => ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

describe('@IdempotencyKey()', () => {
  const resolve = resolverOf();

  it('hands the handler the key the interceptor accepted', () => {
    const req = { headers: { 'idempotency-key': 'order-42' } } as unknown as Request;
    readIdempotencyKey(req);
    expect(resolve(undefined, contextOf(req))).toBe('order-42');
  });

  it('fails loudly, never with an undefined key, on a route the interceptor did not check', () => {
    // The header alone is not enough: only a key the interceptor accepted may derive an upstream request id.
    const req = { headers: { 'idempotency-key': 'unchecked' } } as unknown as Request;
    let thrown: unknown;
    try {
      resolve(undefined, contextOf(req));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'internal.error', message: expect.stringMatching(/without @Idempotent\(\)/) });
  });
});
