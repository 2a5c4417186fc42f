import { isDeepStrictEqual } from 'node:util';
import { validationFault } from './usi-fault';

/**
 * Remembers each organisation's RequestIds. The real registry refuses a reused RequestId; the simulator instead
 * replays the first answer when the request is identical (so a client retrying after a lost response gets the same
 * USI or receipt, never a duplicate) and faults with 1002 when the RequestId comes back with different content.
 */
export class RequestLedger<Req, Res> {
  private readonly entries = new Map<string, { request: Req; response: Res }>();

  /** Synchronous on purpose: two concurrent identical requests cannot both run. */
  once(orgCode: string, requestId: string, request: Req, run: () => Res): Res {
    const key = `${orgCode.toUpperCase()}\u0000${requestId}`;
    const seen = this.entries.get(key);
    if (seen) {
      if (isDeepStrictEqual(seen.request, request)) return seen.response;
      throw validationFault(`RequestId ${requestId} has already been used by this organisation for a different request.`);
    }
    const response = run();
    this.entries.set(key, { request: structuredClone(request), response });
    return response;
  }
}
