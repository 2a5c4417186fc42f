import { Inject, Injectable, OnApplicationShutdown, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { VendorId } from '../database/vendor-id';
import { LeasingRateLimitStore } from './leasing-rate-limit.store';
import { Bucket, RATE_LIMIT_STORE, RateDecision, RateLimitStore } from './rate-limit.types';

export const RATE_LIMIT_WINDOW_MS = 60_000;
const LEASE_MAX = 100;
const LEASE_TTL_MS = 1_000;

/**
 * Per-vendor and per-organisation limits. Keys are scoped by vendor (org codes are only unique per vendor as far as
 * the caller can tell) and wrapped in a Redis hash tag so both buckets of a request live on one cluster slot.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly store: RateLimitStore;

  constructor(
    @Inject(RATE_LIMIT_STORE) shared: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const { leaseFraction } = config.rateLimit;
    this.store =
      leaseFraction > 0 ? new LeasingRateLimitStore(shared, { fraction: leaseFraction, max: LEASE_MAX, ttlMs: LEASE_TTL_MS }) : shared;
  }

  get policies(): { name: string; limit: number }[] {
    const { vendorPerMinute, orgPerMinute } = this.config.rateLimit;
    return [
      { name: 'vendor', limit: vendorPerMinute },
      { name: 'organisation', limit: orgPerMinute },
    ];
  }

  /**
   * Undefined when the store is unreachable: the limiter fails open, because refusing every USI call while Redis
   * or the counter table is down would turn a protection into an outage.
   */
  async take(vendorId: VendorId, orgCode?: string): Promise<RateDecision | undefined> {
    const { vendorPerMinute, orgPerMinute } = this.config.rateLimit;
    const buckets: Bucket[] = [{ key: `{${vendorId}}:v`, limit: vendorPerMinute, name: 'vendor' }];
    if (orgCode) buckets.push({ key: `{${vendorId}}:o:${orgCode.toLowerCase()}`, limit: orgPerMinute, name: 'organisation' });
    try {
      return await this.store.take(buckets, RATE_LIMIT_WINDOW_MS);
    } catch (err) {
      this.logger.warn({ msg: 'rate limit store unavailable; request let through', err, store: this.store.kind });
      return undefined;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
