import type { WebhookConfig } from '../../config/app-config';

/**
 * Exponential backoff between delivery attempts: after failed attempt n (1-based) the next waits
 * `baseMs * factor^(n-1)`. The defaults (8 attempts, 30 s, ×3.5) wait 30 s, 1.75 min, 6 min, 21 min, 1.25 h, 4.4 h
 * and 15.3 h: about a day in all. Undefined when no attempt is left. Configurable so tests run the schedule in
 * milliseconds.
 */
export function retryDelayMs(failedAttempts: number, retry: WebhookConfig['retry']): number | undefined {
  if (failedAttempts >= retry.maxAttempts) return undefined;
  return Math.round(retry.baseMs * retry.factor ** (failedAttempts - 1));
}
