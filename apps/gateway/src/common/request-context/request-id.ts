import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type WithId = IncomingMessage & { id?: unknown };

/**
 * The request id: the caller's `X-Request-Id` when it is safe to log and echo, otherwise a fresh uuid.
 * Computed once per request and stored on it, so the request log, CLS and the error filter all see the same value.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const r = req as WithId;
  if (typeof r.id === 'string') return r.id;
  const offered = req.headers[REQUEST_ID_HEADER];
  const id = typeof offered === 'string' && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
  r.id = id;
  if (res && !res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}
