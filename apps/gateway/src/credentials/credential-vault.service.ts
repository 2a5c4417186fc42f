import { Inject, Injectable, Optional } from '@nestjs/common';
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { KEY_PROVIDER, KeyProvider } from '../keys/key-provider';
import { M2mCredentialEntity } from './m2m-credential.entity';

export const CREDENTIAL_CACHE_TTL_MS = Symbol('CREDENTIAL_CACHE_TTL_MS');
const DEFAULT_TTL_MS = 5 * 60 * 1000;

/** A decrypted credential held in memory; `toJSON`/inspection show identifiers only, never the key. */
export class VaultCredential {
  constructor(
    /** The m2m_credentials row id: changes on every rotation, so token caches keyed on it never mix credentials. */
    readonly id: string,
    readonly credentialId: string,
    readonly abn: string,
    readonly certificateDer: Buffer,
    readonly privateKey: KeyObject,
    readonly notAfter: Date,
  ) {}

  toJSON(): Record<string, string> {
    return { id: this.id, credentialId: this.credentialId, abn: this.abn };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `VaultCredential(${this.id}, ${this.credentialId})`;
  }
}

/**
 * Hands out each vendor's active credential with the private key decrypted, caching it for a short TTL so a busy
 * vendor does not cost a KMS Decrypt per USI call. Rotation and revocation invalidate the entry.
 */
@Injectable()
export class CredentialVault {
  private readonly cache = new Map<string, { value: Promise<VaultCredential>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: Clock;

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    @Optional() @Inject(CREDENTIAL_CACHE_TTL_MS) ttlMs?: number,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.ttlMs = ttlMs ?? DEFAULT_TTL_MS;
    this.now = clock ?? systemClock;
  }

  getActive(vendorId: VendorId): Promise<VaultCredential> {
    const now = this.now().getTime();
    const hit = this.cache.get(vendorId);
    if (hit && hit.expiresAt > now) return hit.value;
    // The promise is cached, not the result, so concurrent callers share one decrypt.
    const value = this.load(vendorId);
    this.cache.set(vendorId, { value, expiresAt: now + this.ttlMs });
    value.catch(() => this.cache.delete(vendorId));
    return value;
  }

  invalidate(vendorId: VendorId): void {
    this.cache.delete(vendorId);
  }

  private async load(vendorId: VendorId): Promise<VaultCredential> {
    const row = await this.tx.runInTenant(vendorId, (m) =>
      m.getRepository(M2mCredentialEntity).findOne({ where: { vendorId, status: 'active' } }),
    );
    if (!row) throw new AppError('credential.none_active', 'The vendor has no active M2M credential');
    const der = await this.keys.decrypt(row.encryptedPrivateKey, { vendorId, credentialId: row.id });
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      const leaf = new X509Certificate(row.certificateChain.split(/(?<=-----END CERTIFICATE-----)\s*/)[0]);
      return new VaultCredential(row.id, row.credentialId, row.abn, leaf.raw, privateKey, row.notAfter);
    } finally {
      der.fill(0);
    }
  }
}
