import type { Response } from 'express';
import { RateDecision } from './rate-limit.types';

/**
 * IETF draft (httpapi-ratelimit-headers-07) fields. Limit/Remaining/Reset describe the bucket closest to running
 * out; RateLimit-Policy lists every policy that applied (quota;w=window seconds).
 */
export function setRateLimitHeaders(res: Response, decision: RateDecision, windowMs: number): void {
  const binding = decision.states.reduce((a, b) =>
    b.remaining < a.remaining || (b.remaining === a.remaining && b.resetMs > a.resetMs) ? b : a,
  );
  const windowSeconds = Math.round(windowMs / 1000);
  res.setHeader('RateLimit-Limit', String(binding.bucket.limit));
  res.setHeader('RateLimit-Remaining', String(Math.max(0, binding.remaining)));
  res.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(binding.resetMs / 1000))));
  res.setHeader(
    'RateLimit-Policy',
    decision.states.map((s) => `${s.bucket.limit};w=${windowSeconds};comment="${s.bucket.name}"`).join(', '),
  );
}
