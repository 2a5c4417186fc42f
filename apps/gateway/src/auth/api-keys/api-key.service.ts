import { Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../../common/security-events/security-events';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { AppError, NotFoundError, ValidationError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import {
  enforce,
  grantDecision,
  organisationRestriction,
  revokeDecision,
} from '../../common/authorization/access-policy';
import { Principal } from '../../common/request-context/principal';
import { TenantContext } from '../../common/request-context/tenant-context.service';
import { asVendorId, VendorId } from '../../database/vendor-id';
import { OrganisationRepository } from '../../tenancy/organisations/organisation.repository';
import { hashApiKey, hashesEqual, issueApiKeyToken, looksLikeApiKey } from './api-key-token';
import { CacheInvalidation } from '../../common/cache/cache-invalidation.service';
import { ApiKeyPrincipalCache, isUsable } from './api-key-principal.cache';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKey, CreateApiKeyInput } from './api-key.types';

export interface CreatedApiKey extends ApiKey {
  /** The only time the clear key leaves the gateway. */
  key: string;
}

const invalidKey = () => new AppError('auth.invalid_api_key', 'The API key is invalid, expired or revoked');

const unknownOrganisations = (indexes: number[]) =>
  new ValidationError(indexes.map((i) => ({ path: `organisationIds[${i}]`, code: 'not_found', message: 'No such organisation' })));

@Injectable()
export class ApiKeyService {
  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly organisations: OrganisationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: SecurityEvents,
    private readonly tenant: TenantContext,
    private readonly principals: ApiKeyPrincipalCache,
    private readonly usage: ApiKeyUsageRecorder,
    private readonly invalidation: CacheInvalidation,
  ) {}

  /** A key issued by a caller of the API: never with more scopes or organisations than it holds (access-policy.ts, rule 3). */
  async createAs(principal: Principal, vendorId: VendorId, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    enforce(grantDecision(principal, { scopes: input.scopes, organisationIds: input.organisationIds ?? null }));
    return this.create(vendorId, input, principal.actorId);
  }

  /** Keys the caller could itself have issued: a restricted caller sees only keys within its organisations. */
  listFor(principal: Principal, vendorId: VendorId, page: PageQuery): Promise<Page<ApiKey>> {
    return this.list(vendorId, page, organisationRestriction(principal));
  }

  /** A caller revokes only keys within what it holds: a restricted key cannot switch off a broader one. */
  async revokeAs(principal: Principal, vendorId: VendorId, id: string): Promise<ApiKey> {
    const target = await this.repository.find(vendorId, id);
    if (!target) throw new NotFoundError('api_key');
    enforce(revokeDecision(principal, target));
    return this.revoke(vendorId, id);
  }

  /** Trusted callers only (seeds, tooling, tests): no check of who asks. The API goes through `createAs`. */
  async create(vendorId: VendorId, input: CreateApiKeyInput, createdBy: string): Promise<CreatedApiKey> {
    const organisationIds = input.organisationIds ?? null;
    if (organisationIds) {
      const known = new Set(await this.organisations.existingIds(vendorId, organisationIds));
      const unknown = organisationIds.flatMap((id, i) => (known.has(id) ? [] : [i]));
      if (unknown.length) throw unknownOrganisations(unknown);
    }
    const token = issueApiKeyToken(this.config.usi.env === 'production');
    const stored = await this.repository.create(vendorId, {
      name: input.name,
      prefix: token.prefix,
      hash: token.hash,
      scopes: input.scopes,
      organisationIds,
      expiresAt: input.expiresAt ?? null,
      createdBy,
    });
    await this.audit.recordSecurityEvent({
      type: 'api_key.created',
      vendorId,
      actor: this.tenant.principal,
      details: { apiKeyId: stored.id, prefix: stored.prefix, scopes: stored.scopes, organisationIds, createdBy },
    });
    return { ...stored, key: token.key };
  }

  async list(vendorId: VendorId, page: PageQuery, within?: string[] | null): Promise<Page<ApiKey>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    return toPage(await this.repository.list(vendorId, page.limit + 1, after, within), page.limit);
  }

  /** Trusted callers only; the API goes through `revokeAs`. */
  async revoke(vendorId: VendorId, id: string): Promise<ApiKey> {
    const revoked = await this.repository.revoke(vendorId, id);
    if (!revoked) throw new NotFoundError('api_key');
    this.invalidation.publishLocal({ kind: 'api_key', id });
    await this.audit.recordSecurityEvent({
      type: 'api_key.revoked',
      vendorId,
      actor: this.tenant.principal,
      details: { apiKeyId: id },
    });
    return revoked;
  }

  async authenticate(key: string, now = new Date()): Promise<Principal> {
    if (!looksLikeApiKey(key)) throw invalidKey();
    const hash = hashApiKey(key);
    const row = await this.principals.get(hash, () => this.repository.findByHash(hash), now);
    if (!row || !hashesEqual(row.keyHash, hash) || !isUsable(row, now)) throw invalidKey();
    const vendorId = asVendorId(row.vendorId);
    this.usage.record(vendorId, row.id);
    return {
      kind: 'api_key',
      vendorId,
      organisationIds: row.organisationIds,
      scopes: row.scopes,
      roles: [],
      actorId: `api_key:${row.id}`,
    };
  }
}
