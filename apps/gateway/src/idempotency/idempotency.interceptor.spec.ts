import { EventEmitter } from 'node:events';
import { Logger, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { AppError } from '../common/errors/app-error';
import type { TenantContext } from '../common/request-context/tenant-context.service';
import { asVendorId } from '../database/vendor-id';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import type { BeginResult, IdempotencyService } from './idempotency.service';
import type { StoredResponse } from './idempotency.types';
import { requestFingerprint } from './request-fingerprint';

const VENDOR = asVendorId('0b9f3c4e-8a52-4a55-9d1e-6f0f2b7c9a11');
const URL = '/v1/organisations/VA1802/usi';
const BODY = { firstName: 'Ada' };

/** The slice of an Express response the interceptor touches, recording what was sent. */
class FakeResponse extends EventEmitter {
  statusCode = 201;
  headers: Record<string, unknown> = {};
  sent: unknown[] = [];
  getHeader = (name: string) => this.headers[name];
  setHeader = (name: string, value: unknown) => void (this.headers[name] = value);
  status = (code: number) => {
    this.statusCode = code;
    return this;
  };
  send = (body?: unknown) => {
    this.sent.push(body);
    return this;
  };
}

function setup(begin: BeginResult = { kind: 'run' }, opts: { completeFails?: boolean; releaseFails?: boolean } = {}) {
  const calls = { begin: [] as unknown[][], complete: [] as unknown[][], release: [] as unknown[][] };
  const service = {
    begin: async (...args: unknown[]) => (calls.begin.push(args), begin),
    complete: async (...args: unknown[]) => {
      calls.complete.push(args);
      if (opts.completeFails) throw new Error('database gone');
    },
    release: async (...args: unknown[]) => {
      calls.release.push(args);
      if (opts.releaseFails) throw new Error('database gone');
    },
  };
  const tenant = { requireVendorId: () => VENDOR };
  const interceptor = new IdempotencyInterceptor(service as unknown as IdempotencyService, tenant as unknown as TenantContext);
  const req = { method: 'POST', originalUrl: URL, body: BODY, headers: { 'idempotency-key': 'k-1' } };
  const res = new FakeResponse();
  const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
  return { interceptor, context, res, calls };
}

const handler = (run: () => ReturnType<CallHandler['handle']>) => {
  const counter = { runs: 0 };
  return { counter, next: { handle: () => (counter.runs++, run()) } as CallHandler };
};
const flush = () => new Promise((r) => setImmediate(r));

describe('IdempotencyInterceptor', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('claims the key for the fingerprint of method, full URL and body, then stores the response with its meaningful headers', async () => {
    const { interceptor, context, res, calls } = setup();
    res.headers = { 'content-type': 'application/json', location: '/v1/x/1', 'retry-after': 5, etag: 'W/"x"' };
    const { next } = handler(() => of({ usi: 'BNGH7C75FN' }));
    await expect(lastValueFrom(await interceptor.intercept(context, next))).resolves.toEqual({ usi: 'BNGH7C75FN' });
    expect(calls.begin).toEqual([[VENDOR, 'k-1', requestFingerprint('POST', URL, BODY)]]);
    expect(calls.complete).toEqual([
      [VENDOR, 'k-1', { status: 201, body: { usi: 'BNGH7C75FN' }, headers: { 'content-type': 'application/json', location: '/v1/x/1', 'retry-after': '5' } }],
    ]);
  });

  it('stores no header the response did not set', async () => {
    const { interceptor, context, calls } = setup();
    await lastValueFrom(await interceptor.intercept(context, handler(() => of({ ok: true })).next));
    expect(calls.complete[0][2]).toEqual({ status: 201, body: { ok: true }, headers: {} });
  });

  it('replays a stored response without running the handler, marked Idempotency-Replayed', async () => {
    const stored: StoredResponse = { status: 422, body: { code: 'usi.validation' }, headers: { 'content-type': 'application/problem+json' } };
    const { interceptor, context, res, calls } = setup({ kind: 'replay', response: stored });
    const { counter, next } = handler(() => of('never'));
    await expect(lastValueFrom(await interceptor.intercept(context, next))).resolves.toEqual(stored.body);
    expect(counter.runs).toBe(0);
    expect(res.statusCode).toBe(422);
    expect(res.headers).toEqual({ 'content-type': 'application/problem+json', 'Idempotency-Replayed': 'true' });
    expect(calls.complete).toEqual([]);
  });

  it.each([
    ['a gateway error', new AppError('upstream.unavailable', 'down')],
    // Refused before anything went upstream (validation): the client may fix the request and reuse the key.
    ['a refusal of the gateway itself (4xx, not usi.*)', new AppError('request.validation', 'bad')],
    ['a Registry code answered with a 5xx', new AppError('usi.service_unavailable', 'down')],
    ['an unknown Registry code (502)', new AppError('usi.something_new', 'odd')],
    ['a plain error', new Error('bug')],
  ])('gives the key back after %s, and rethrows it', async (_, err) => {
    const { interceptor, context, calls } = setup();
    await expect(lastValueFrom(await interceptor.intercept(context, handler(() => throwError(() => err)).next))).rejects.toBe(err);
    expect(calls.release).toEqual([[VENDOR, 'k-1']]);
    expect(calls.complete).toEqual([]);
  });

  it('still rethrows the original error when giving the key back fails', async () => {
    const { interceptor, context } = setup({ kind: 'run' }, { releaseFails: true });
    const err = new AppError('upstream.unavailable', 'down');
    await expect(lastValueFrom(await interceptor.intercept(context, handler(() => throwError(() => err)).next))).rejects.toBe(err);
    expect(logged).toHaveBeenCalledWith({ msg: 'idempotency key not released', err: expect.objectContaining({ message: 'database gone' }) });
  });

  describe("the Registry's own refusal", () => {
    const refusal = () => new AppError('usi.validation', 'refused');

    async function refuse(opts?: { completeFails?: boolean }) {
      const s = setup({ kind: 'run' }, opts);
      const originalSend = s.res.send;
      await expect(lastValueFrom(await s.interceptor.intercept(s.context, handler(() => throwError(refusal)).next))).rejects.toMatchObject({
        code: 'usi.validation',
      });
      expect(s.res.send).not.toBe(originalSend);
      return { ...s, originalSend };
    }

    it('is stored as the problem body the filter sends, and sent only once stored', async () => {
      const { res, calls, originalSend } = await refuse();
      res.statusCode = 422;
      res.headers = { 'content-type': 'application/problem+json' };
      res.send(JSON.stringify({ code: 'usi.validation' }));
      expect(res.send).toBe(originalSend);
      expect(res.sent).toEqual([]);
      await flush();
      expect(calls.complete).toEqual([
        [VENDOR, 'k-1', { status: 422, body: { code: 'usi.validation' }, headers: { 'content-type': 'application/problem+json' } }],
      ]);
      expect(res.sent).toEqual([JSON.stringify({ code: 'usi.validation' })]);
      res.emit('close');
      await flush();
      expect(calls.release).toEqual([]);
    });

    it('keeps a body that is not JSON as it is, and an empty one as null', async () => {
      const text = await refuse();
      text.res.send('not json');
      await flush();
      expect(text.calls.complete[0][2]).toMatchObject({ body: 'not json' });
      const empty = await refuse();
      empty.res.send();
      await flush();
      expect(empty.calls.complete[0][2]).toMatchObject({ body: null });
      const object = await refuse();
      object.res.send({ already: 'parsed' });
      await flush();
      expect(object.calls.complete[0][2]).toMatchObject({ body: { already: 'parsed' } });
    });

    it('gives the key back, and still sends, when storing fails', async () => {
      const { res, calls } = await refuse({ completeFails: true });
      res.send('{}');
      await flush();
      await flush();
      expect(calls.release).toEqual([[VENDOR, 'k-1']]);
      expect(res.sent).toEqual(['{}']);
      expect(logged).toHaveBeenCalledWith({
        msg: 'idempotent error response not stored; releasing the key',
        err: expect.objectContaining({ message: 'database gone' }),
      });
    });

    it('gives the key back when the client goes away before anything is sent', async () => {
      const { res, calls } = await refuse();
      res.emit('close');
      await flush();
      expect(calls.release).toEqual([[VENDOR, 'k-1']]);
      expect(calls.complete).toEqual([]);
    });
  });
});
