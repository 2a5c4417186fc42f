import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { UsiError } from '@usi/contract';
import { HttpResponse } from '../http/http-transport';
import { ExchangeError, ExchangeKind, ExchangeObserver } from './exchange-observer';
import { OutcomeSummary } from './outcome-summary';

export interface ExchangeMeta {
  kind: ExchangeKind;
  operation: string;
  endpoint: string;
  attempt: number;
  requestId?: string;
  tokenCacheHit?: boolean;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Sends one request and interprets its response between the observer's `started` and `finished`, so the outcome
 * reported is the interpreted one (a SOAP fault in an HTTP 500 is a failed exchange carrying the fault's code).
 */
export async function observedExchange<T>(
  observer: ExchangeObserver | undefined,
  meta: ExchangeMeta,
  requestXml: string,
  send: () => Promise<HttpResponse>,
  interpret: (res: HttpResponse) => T | Promise<T>,
  summarise?: (result: T) => OutcomeSummary,
  issuedUsi?: (result: T) => string | undefined,
): Promise<T> {
  const id = randomUUID();
  await observer?.started({ id, ...meta, requestSha256: sha256Hex(requestXml), requestXml });
  const startedAt = performance.now();
  let res: HttpResponse | undefined;
  try {
    res = await send();
    const result = await interpret(res);
    await observer?.finished({
      id,
      kind: meta.kind,
      operation: meta.operation,
      durationMs: performance.now() - startedAt,
      outcome: 'completed',
      httpStatus: res.status,
      responseSha256: sha256Hex(res.body),
      summary: summarise?.(result),
      responseXml: res.body,
      issuedUsi: issuedUsi?.(result),
    });
    return result;
  } catch (err) {
    await observer?.finished({
      id,
      kind: meta.kind,
      operation: meta.operation,
      durationMs: performance.now() - startedAt,
      outcome: 'failed',
      httpStatus: res?.status,
      responseSha256: res ? sha256Hex(res.body) : undefined,
      responseXml: res?.body,
      error: summariseError(err),
    });
    throw err;
  }
}

function summariseError(err: unknown): ExchangeError {
  if (!(err instanceof UsiError)) return { code: 'internal', message: 'Unexpected client error' };
  const first = (err.details?.errors as { code?: number; title?: string }[] | undefined)?.[0];
  return { code: err.code, upstreamCode: first?.code, title: first?.title, message: err.message };
}
