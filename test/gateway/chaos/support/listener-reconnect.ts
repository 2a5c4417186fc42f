import { CACHE_CHANNEL } from '@gateway/common/cache/cache-invalidation.service';
import type { PrivatePostgres } from './private-postgres';

const LISTENER = 'usi-gateway-cache-listener';

/**
 * Milliseconds from `since` until the gateway's cache-invalidation session is LISTENing again (it clears the caches
 * it guards when it does: notifications sent while it was away are lost), or undefined if not within `timeoutMs`.
 */
export async function listenerBackAfter(postgres: PrivatePostgres, since: number, timeoutMs: number): Promise<number | undefined> {
  while (Date.now() - since < timeoutMs) {
    const back = await postgres.listeners(LISTENER, CACHE_CHANNEL).catch(() => 0);
    if (back > 0) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
