import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { IsNull } from 'typeorm';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { CacheInvalidation } from '../common/cache/cache-invalidation.service';
import { CoherentCache } from '../common/cache/coherent-cache';
import { KEY_PROVIDER, KeyProvider } from '../keys/key-provider';
import { USI_UPSTREAM, UsiUpstream } from '../upstream/usi-upstream';
import { ManualCredentialRenewer } from './credential-renewer';
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
    /** base64(SHA-1(leaf)): in the token cache key and the audit record of every call it serves. */
    readonly sha1Fingerprint: string,
    /** Null for the vendor's credential; the organisation's id for its own (direct mode). */
    readonly organisationId: string | null = null,
  ) {}

  toJSON(): Record<string, string | null> {
    return { id: this.id, credentialId: this.credentialId, abn: this.abn, sha1Fingerprint: this.sha1Fingerprint };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `VaultCredential(${this.id}, ${this.credentialId})`;
  }
}

/** Whose credential: the vendor's own, or one organisation's (direct mode). `orgCode` is for messages only. */
export interface CredentialOwner {
  vendorId: VendorId;
  organisation?: { id: string; orgCode: string } | null;
}

type ActiveRow = Pick<
  M2mCredentialEntity,
  'id' | 'vendorId' | 'organisationId' | 'credentialId' | 'abn' | 'sha1Fingerprint' | 'notAfter' | 'certificateChain' | 'encryptedPrivateKey'
>;

const ownerKey = (owner: CredentialOwner) => `${owner.vendorId}:${owner.organisation?.id ?? 'vendor'}`;

/**
 * Hands out the active credential of a vendor (or of an organisation in direct mode) with the private key decrypted.
 *
 * Which row is active is read through a coherent cache (dropped on `credential:<vendorId>`, which the database sends
 * on every status change, on every instance; read fresh while the listener is down). Decrypted keys are cached per
 * row for a TTL, so a busy vendor does not cost a KMS Decrypt per call; a row's key never changes, so that cache
 * cannot serve a wrong key. On every switch the vendor's STS tokens are flushed from the shared token cache; calls
 * already holding a token finish with it.
 *
 * An expired active credential is refused here (`credential.expired`, with the renewal steps), before any STS request.
 */
@Injectable()
export class CredentialVault {
  private readonly logger = new Logger(CredentialVault.name);
  private readonly active: CoherentCache<string, ActiveRow>;
  private readonly decrypted = new Map<string, { value: Promise<VaultCredential>; expiresAt: number; vendorId: string }>();
  /** Every row id this instance decrypted per vendor: the token cache keys to flush when the vendor switches. */
  private readonly servedIds = new Map<string, Set<string>>();
  private readonly renewer = new ManualCredentialRenewer();
  private readonly ttlMs: number;
  private readonly now: Clock;

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    invalidation: CacheInvalidation,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'accessCache'>,
    @Optional() @Inject(USI_UPSTREAM) private readonly upstream?: Pick<UsiUpstream, 'tokens'>,
    @Optional() @Inject(CREDENTIAL_CACHE_TTL_MS) ttlMs?: number,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.ttlMs = ttlMs ?? DEFAULT_TTL_MS;
    this.now = clock ?? systemClock;
    this.active = new CoherentCache(invalidation, {
      ...config.accessCache,
      affects: (event, row) => event.kind === 'credential' && row.vendorId === event.id,
    });
    invalidation.subscribe((event) => {
      if (event === 'reset') this.decrypted.clear();
      else if (event.kind === 'credential') this.flush(event.id);
    });
  }

  /** The vendor's own active credential (My Cloud mode: it signs every ActAs token request). */
  getActive(vendorId: VendorId): Promise<VaultCredential> {
    return this.getActiveFor({ vendorId });
  }

  async getActiveFor(owner: CredentialOwner): Promise<VaultCredential> {
    const row = await this.active.getOrLoad(ownerKey(owner), () => this.loadActive(owner));
    if (!row) throw noneActive(owner);
    if (row.notAfter.getTime() <= this.now().getTime()) throw this.expired(row, owner);
    return this.open(row);
  }

  /** Decrypts any of the vendor's rows (a pending one to check it, a superseded one before a rollback). */
  open(row: ActiveRow): Promise<VaultCredential> {
    const now = this.now().getTime();
    const hit = this.decrypted.get(row.id);
    if (hit && hit.expiresAt > now) return hit.value;
    // The promise is cached, not the result, so concurrent callers share one decrypt.
    const value = this.decrypt(row);
    this.decrypted.set(row.id, { value, expiresAt: now + this.ttlMs, vendorId: row.vendorId });
    value.catch(() => this.decrypted.delete(row.id));
    let ids = this.servedIds.get(row.vendorId);
    if (!ids) this.servedIds.set(row.vendorId, (ids = new Set()));
    ids.add(row.id);
    return value;
  }

  /** After a change made by this instance; other instances hear of it through the database's NOTIFY. */
  invalidate(vendorId: VendorId): void {
    this.flush(vendorId);
  }

  private flush(vendorId: string): void {
    for (const [id, entry] of this.decrypted) if (entry.vendorId === vendorId) this.decrypted.delete(id);
    const ids = this.servedIds.get(vendorId);
    if (!ids?.size || !this.upstream) return;
    const dropped = this.upstream.tokens.invalidateWhere((key) => ids.has(key.credentialId));
    if (dropped) this.logger.log(`credentials of vendor ${vendorId} changed: ${dropped} cached STS token(s) dropped`);
  }

  private loadActive(owner: CredentialOwner): Promise<ActiveRow | undefined> {
    const { vendorId } = owner;
    return this.tx.runInTenant(vendorId, async (m) => {
      const row = await m.getRepository(M2mCredentialEntity).findOne({
        where: { vendorId, organisationId: owner.organisation?.id ?? IsNull(), status: 'active' },
      });
      return row ?? undefined;
    });
  }

  private async decrypt(row: ActiveRow): Promise<VaultCredential> {
    const der = await this.keys.decrypt(row.encryptedPrivateKey, { vendorId: row.vendorId, credentialId: row.id });
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      const leaf = new X509Certificate(row.certificateChain.split(/(?<=-----END CERTIFICATE-----)\s*/)[0]);
      return new VaultCredential(row.id, row.credentialId, row.abn, leaf.raw, privateKey, row.notAfter, row.sha1Fingerprint, row.organisationId);
    } finally {
      der.fill(0);
    }
  }

  private expired(row: ActiveRow, owner: CredentialOwner): AppError {
    const plan = this.renewer.plan({
      id: row.id,
      credentialId: row.credentialId,
      abn: row.abn,
      notAfter: row.notAfter,
      orgCode: owner.organisation?.orgCode,
      now: this.now(),
    });
    const whose = owner.organisation ? `Organisation ${owner.organisation.orgCode}'s` : "The vendor's";
    return new AppError(
      'credential.expired',
      `${whose} machine credential ${row.credentialId} expired on ${row.notAfter.toISOString()}; USI calls are refused without contacting the ATO until a renewed credential is uploaded and checked`,
      { credentialId: row.id },
      undefined,
      {
        credential: { id: row.id, credentialId: row.credentialId, sha1Fingerprint: row.sha1Fingerprint, notAfter: row.notAfter.toISOString() },
        guidance: { renewal: `GET /v1/credentials/${row.id}/renewal`, steps: plan.steps },
      },
    );
  }
}

function noneActive(owner: CredentialOwner): AppError {
  if (!owner.organisation) return new AppError('credential.none_active', 'The vendor has no active M2M credential');
  const { orgCode } = owner.organisation;
  return new AppError(
    'credential.none_active',
    `Organisation ${orgCode} connects with its own machine credential (direct mode) but has none active: upload one with POST /v1/organisations/${orgCode}/credentials, or switch it back to my_cloud`,
  );
}
