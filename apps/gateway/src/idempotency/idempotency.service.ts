import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import type { VendorId } from '../database/vendor-id';
import { IdempotencyRepository } from './idempotency.repository';
import { StoredResponse } from './idempotency.types';

export type BeginResult = { kind: 'run' } | { kind: 'replay'; response: StoredResponse };

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 250;
/** What a caller that gave up waiting is told to wait before trying again. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/**
 * The protocol around one key: the first request claims it and runs; duplicates wait for its stored response (polling
 * with backoff, bounded by `IDEMPOTENCY_WAIT_MS`) and replay it; a different request under the same key is refused.
 */
@Injectable()
export class IdempotencyService {
  private readonly waitMs: number;

  constructor(
    private readonly repo: IdempotencyRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.waitMs = config.idempotency.waitMs;
  }

  async begin(vendorId: VendorId, key: string, requestHash: string): Promise<BeginResult> {
    const deadline = Date.now() + this.waitMs;
    let delay = FIRST_POLL_MS;
    let claim = await this.repo.claim(vendorId, key, requestHash);
    for (;;) {
      if (claim.claimed) return { kind: 'run' };
      const existing = claim.existing;
      if (existing && existing.requestHash !== requestHash) {
        throw new AppError('idempotency.mismatch', 'This Idempotency-Key was already used with a different request');
      }
      if (existing?.status === 'completed') return { kind: 'replay', response: existing.response };
      if (Date.now() + delay > deadline) {
        throw new AppError('idempotency.in_progress', 'A request with this Idempotency-Key is still being processed', {
          retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS,
        });
      }
      // Jitter keeps a crowd of duplicates from polling in lock step.
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, MAX_POLL_MS);
      const current = await this.repo.find(vendorId, key);
      // Gone means the owner failed and released it: this request may run instead.
      claim = current ? { claimed: false, existing: current } : await this.repo.claim(vendorId, key, requestHash);
    }
  }

  complete(vendorId: VendorId, key: string, response: StoredResponse): Promise<void> {
    return this.repo.complete(vendorId, key, response);
  }

  release(vendorId: VendorId, key: string): Promise<void> {
    return this.repo.release(vendorId, key);
  }
}
