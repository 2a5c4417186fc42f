import { requestIdReusedMessage } from '@usi/contract';
import { validationFault } from './usi-fault';

/**
 * The request's content as one string: keys sorted, `undefined` members dropped, prototypes ignored. Decoded XML
 * arrives as null-prototype objects, so a structural comparison with a stored clone (plain objects) never matched.
 */
function contentOf(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Remembers each organisation's RequestIds. The real registry refuses a reused RequestId; the simulator instead
 * replays the first answer when the request is identical (so a client retrying after a lost response gets the same
 * USI or receipt, never a duplicate) and faults with 1002 when the RequestId comes back with different content.
 */
export class RequestLedger<Req, Res> {
  private readonly entries = new Map<string, { content: string; response: Res }>();

  /** Synchronous on purpose: two concurrent identical requests cannot both run. */
  once(orgCode: string, requestId: string, request: Req, run: () => Res): Res {
    const key = `${orgCode.toUpperCase()}\u0000${requestId}`;
    const content = contentOf(request);
    const seen = this.entries.get(key);
    if (seen) {
      if (seen.content === content) return seen.response;
      throw validationFault(requestIdReusedMessage(requestId));
    }
    const response = run();
    this.entries.set(key, { content, response });
    return response;
  }
}
