import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error';
import { ProblemDetailsFilter } from './problem-details.filter';
import { QueueUnavailableError } from '../../queue/queue-unavailable.error';
import type { ResponseAuditor } from '../request-context/response-auditor';

interface Sent {
  status?: number;
  type?: string;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

function exchange(requestId: string): { host: ArgumentsHost; sent: Sent; req: Request; res: Response } {
  const sent: Sent = { headers: {} };
  const req = { headers: { 'x-request-id': requestId }, method: 'GET', url: '/v1/organisations' } as unknown as Request;
  const res = {
    headersSent: false,
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return res;
    },
    status(code: number) {
      sent.status = code;
      return res;
    },
    type(type: string) {
      sent.type = type;
      return res;
    },
    send(body: string) {
      sent.body = JSON.parse(body) as Record<string, unknown>;
      return res;
    },
  } as unknown as Response;
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  return { host, sent, req, res };
}

/** A pg driver error as TypeORM wraps it: its message may quote the connection string. */
function statementTimeout(): Error {
  return Object.assign(new Error('query failed: postgres://gateway:S3cr3t-db-pw@db:5432/usi canceling statement'), {
    driverError: { code: '57014', message: 'canceling statement due to statement timeout' },
  });
}

describe('ProblemDetailsFilter', () => {
  let now: number;
  let filter: ProblemDetailsFilter;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  const audited: Array<{ status: number; code?: string }> = [];
  const auditor: ResponseAuditor = {
    recordResponse: (_req, _res, outcome) => {
      audited.push(outcome);
      return Promise.resolve();
    },
  };

  beforeEach(() => {
    now = Date.parse('2026-03-01T00:00:00Z');
    audited.length = 0;
    filter = new ProblemDetailsFilter(auditor, () => new Date(now));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const logged = (spy: jest.SpyInstance) => spy.mock.calls.map((args: unknown[]) => args);

  it("answers an AppError with its code's status and problem+json carrying the request id, and logs nothing for a 4xx", async () => {
    const { host, sent } = exchange('req-404');
    await filter.catch(new AppError('organisation.not_found', 'organisation not found'), host);
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: 'https://usi-gateway.dev/problems/organisation.not_found',
      title: 'Organisation not found',
      status: 404,
      detail: 'organisation not found',
      code: 'organisation.not_found',
      requestId: 'req-404',
    });
    expect(audited).toEqual([{ status: 404, code: 'organisation.not_found' }]);
    expect(logged(warn)).toEqual([]);
    expect(logged(error)).toEqual([]);
  });

  it("gives Nest's status-only errors a stable code", async () => {
    const { host, sent } = exchange('req-nest');
    await filter.catch(new NotFoundException(), host);
    expect(sent.body).toMatchObject({ status: 404, code: 'request.not_found', detail: 'No such resource' });
  });

  it('answers an unknown exception 500 internal.error without its message, and logs it at error level with the stack', async () => {
    const { host, sent } = exchange('req-bug');
    const bug = new TypeError("Cannot read properties of undefined (reading 'apiKeyHash')");
    await filter.catch(bug, host);
    expect(sent.status).toBe(500);
    expect(sent.body).toMatchObject({ status: 500, code: 'internal.error', detail: 'An unexpected error occurred', requestId: 'req-bug' });
    expect(JSON.stringify(sent.body)).not.toContain('apiKeyHash');
    expect(logged(warn)).toEqual([]);
    expect(logged(error)).toHaveLength(1);
    const [fields] = error.mock.calls[0] as [{ err: Error; code: string; requestId: string }];
    expect(fields).toMatchObject({ code: 'internal.error', requestId: 'req-bug' });
    expect(fields.err).toBe(bug);
    expect(fields.err.stack).toContain('TypeError');
  });

  it('answers a database outage 503 database.unavailable with Retry-After and logs one warn line: code and request id, no stack, no driver text', async () => {
    const { host, sent } = exchange('req-db');
    await filter.catch(statementTimeout(), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
    expect(sent.body).toMatchObject({ code: 'database.unavailable', requestId: 'req-db' });
    expect(logged(error)).toEqual([]);
    expect(logged(warn)).toEqual([[{ code: 'database.unavailable', status: 503, requestId: 'req-db' }, 'request failed: dependency unavailable']]);
    const line = JSON.stringify(logged(warn));
    expect(line).not.toContain('S3cr3t-db-pw');
    expect(line).not.toContain('postgres://');
    expect(line).not.toMatch(/stack|at \w+ \(/);
  });

  it('answers a queue outage 503 queue.unavailable with Retry-After and logs it as a dependency outage', async () => {
    const { host, sent } = exchange('req-queue');
    await filter.catch(new QueueUnavailableError(), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('5');
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toMatchObject({ code: 'queue.unavailable', status: 503, requestId: 'req-queue' });
    expect(logged(error)).toEqual([]);
    expect(logged(warn)).toEqual([[{ code: 'queue.unavailable', status: 503, requestId: 'req-queue' }, 'request failed: dependency unavailable']]);
  });

  it.each([
    ['upstream.unavailable', 503],
    ['upstream.timeout', 504],
    ['usi.service_unavailable', 503],
  ])('logs the registry outage %s at warn, not error', async (code, status) => {
    const { host, sent } = exchange(`req-${code}`);
    await filter.catch(new AppError(code, 'The USI Registry did not answer'), host);
    expect(sent.status).toBe(status);
    expect(logged(error)).toEqual([]);
    expect(logged(warn)).toEqual([[{ code, status, requestId: `req-${code}` }, 'request failed: dependency unavailable']]);
  });

  it('keeps a non-outage 5xx AppError (a refusal, not an outage) at error level', async () => {
    const { host } = exchange('req-fault');
    await filter.catch(new AppError('usi.fault', 'The registry refused the message'), host);
    expect(logged(warn)).toEqual([]);
    expect(error.mock.calls[0][0]).toMatchObject({ code: 'usi.fault', requestId: 'req-fault' });
  });

  it('writes at most one outage line per code per second and reports the lines held back on the next one', async () => {
    for (let i = 0; i < 5; i++) await filter.catch(statementTimeout(), exchange(`req-${i}`).host);
    await filter.catch(new AppError('upstream.unavailable', 'down'), exchange('req-up').host);
    now += 999;
    await filter.catch(statementTimeout(), exchange('req-5').host);
    expect(logged(warn).map(([fields]) => fields)).toEqual([
      { code: 'database.unavailable', status: 503, requestId: 'req-0' },
      { code: 'upstream.unavailable', status: 503, requestId: 'req-up' },
    ]);
    now += 1;
    await filter.catch(statementTimeout(), exchange('req-6').host);
    expect(logged(warn).map(([fields]) => fields)[2]).toEqual({ code: 'database.unavailable', status: 503, requestId: 'req-6', suppressed: 5 });
    now += 1000;
    await filter.catch(statementTimeout(), exchange('req-7').host);
    expect(logged(warn).map(([fields]) => fields)[3]).toEqual({ code: 'database.unavailable', status: 503, requestId: 'req-7' });
    // Every request is still answered and audited; only the log lines are held back.
    expect(audited.filter((a) => a.code === 'database.unavailable')).toHaveLength(8);
    expect(logged(error)).toEqual([]);
  });

  it('still answers when the audit store fails, logging that failure', async () => {
    const failing = new ProblemDetailsFilter({ recordResponse: () => Promise.reject(new Error('audit down')) }, () => new Date(now));
    const { host, sent } = exchange('req-audit');
    await failing.catch(new AppError('organisation.not_found', 'organisation not found'), host);
    expect(sent.status).toBe(404);
    expect(error.mock.calls.map((c) => c[1])).toEqual(['audit of failed request not recorded']);
  });
});
