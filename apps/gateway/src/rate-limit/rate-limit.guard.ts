import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { setRateLimitHeaders } from './rate-limit-headers';
import { RATE_LIMIT_WINDOW_MS, RateLimiter } from './rate-limiter.service';

/**
 * Runs after the global auth guard (route guards always do), so the vendor is known. The organisation bucket is
 * keyed by the `orgCode` path parameter; routes without one are limited per vendor only.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly tenant: TenantContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const vendorId = this.tenant.requireVendorId();
    const orgCode = typeof req.params?.orgCode === 'string' ? req.params.orgCode : undefined;
    const decision = await this.limiter.take(vendorId, orgCode);
    if (!decision) return true;
    setRateLimitHeaders(res, decision, RATE_LIMIT_WINDOW_MS);
    if (decision.allowed) return true;
    const exhausted = decision.states.filter((s) => s.remaining <= 0).map((s) => s.bucket.name);
    throw new AppError('rate_limit.exceeded', `Rate limit exceeded (${exhausted.join(', ')}); retry later`, {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
      policies: exhausted,
    });
  }
}
