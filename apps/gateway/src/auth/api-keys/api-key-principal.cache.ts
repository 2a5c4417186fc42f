import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { CacheInvalidation } from '../../common/cache/cache-invalidation.service';
import { CoherentCache } from '../../common/cache/coherent-cache';
import { ApiKeyCredential } from './api-key.types';

/**
 * Usable API keys by SHA-256 of the key, so a hit needs the whole key (a vendor's principal can only come back for
 * that vendor's key). Revoked or expired keys are never cached, and expiry is checked again on every use.
 */
@Injectable()
export class ApiKeyPrincipalCache {
  private readonly cache: CoherentCache<string, ApiKeyCredential>;

  constructor(invalidation: CacheInvalidation, @Inject(APP_CONFIG) config: AppConfig) {
    this.cache = new CoherentCache(invalidation, {
      ...config.accessCache,
      affects: (event, key) =>
        (event.kind === 'api_key' && key.id === event.id) || (event.kind === 'vendor' && key.vendorId === event.id),
    });
  }

  get(hash: string, load: () => Promise<ApiKeyCredential | undefined>, now: Date): Promise<ApiKeyCredential | undefined> {
    return this.cache.getOrLoad(hash, load, (key) => isUsable(key, now));
  }
}

export function isUsable(key: ApiKeyCredential, now: Date): boolean {
  return !key.revokedAt && !(key.expiresAt && key.expiresAt.getTime() <= now.getTime());
}
