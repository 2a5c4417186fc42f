import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { VendorId } from '../../database/vendor-id';
import { ApiKeyRepository } from './api-key.repository';

/** `last_used_at` is a hint for humans ("is this key still in use?"): minute precision is plenty. */
export const USAGE_WRITE_INTERVAL_MS = 60_000;
const FLUSH_INTERVAL_MS = 5_000;

/**
 * Records API-key use off the request path: uses are collected in memory and written in one statement per vendor
 * every few seconds, at most once a minute per key. A failed write is logged and retried on the next use.
 */
@Injectable()
export class ApiKeyUsageRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyUsageRecorder.name);
  private readonly lastQueued = new Map<string, number>();
  private pending = new Map<string, { vendorId: VendorId; at: Date }>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly now: Clock;

  constructor(
    private readonly repository: ApiKeyRepository,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  record(vendorId: VendorId, id: string): void {
    const at = this.now();
    const last = this.lastQueued.get(id);
    if (last !== undefined && at.getTime() - last < USAGE_WRITE_INTERVAL_MS) return;
    this.lastQueued.set(id, at.getTime());
    this.pending.set(id, { vendorId, at });
  }

  onApplicationBootstrap(): void {
    // Per instance, not a queue job: it flushes uses held in this process's memory, which no other instance can see.
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what is pending; never throws. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const byVendor = new Map<VendorId, { id: string; at: Date }[]>();
    for (const [id, { vendorId, at }] of batch) {
      byVendor.set(vendorId, [...(byVendor.get(vendorId) ?? []), { id, at }]);
    }
    for (const [vendorId, uses] of byVendor) {
      try {
        await this.repository.touchMany(vendorId, uses);
      } catch (err) {
        for (const { id } of uses) this.lastQueued.delete(id);
        this.logger.warn({ msg: 'api key last_used_at update failed; retried on next use', err, vendorId, keys: uses.length });
      }
    }
    this.forgetOld();
  }

  /** Keeps the throttle map as small as the set of keys used in the last minute. */
  private forgetOld(): void {
    const cutoff = this.now().getTime() - USAGE_WRITE_INTERVAL_MS;
    for (const [id, at] of this.lastQueued) if (at < cutoff) this.lastQueued.delete(id);
  }
}
