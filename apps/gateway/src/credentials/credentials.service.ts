import { Inject, Injectable } from '@nestjs/common';
import { loadCredential } from '@usi/keystore';
import { randomUUID, X509Certificate } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { SecurityEvents } from '../common/security-events/security-events';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination/cursor';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { keystoreTooLarge, toCredentialError } from './credential-upload.error';
import { CredentialVault } from './credential-vault.service';
import { CredentialView, toCredentialView } from './credential.view';
import { KEY_PROVIDER, KeyProvider } from '../keys/key-provider';
import { M2mCredentialEntity } from './m2m-credential.entity';

/** Real ATO keystores are a few KiB; anything near this is not one. */
export const MAX_KEYSTORE_UPLOAD_BYTES = 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CredentialUpload {
  keystore: Buffer;
  credentialId: string;
  /** Used once to decrypt the keystore entry, then dropped: never stored, logged or echoed. */
  password: string;
}

@Injectable()
export class CredentialsService {
  constructor(
    private readonly tx: TenantTransaction,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly vault: CredentialVault,
    private readonly audit: SecurityEvents,
    private readonly tenant: TenantContext,
  ) {}

  /** Validates, re-encrypts and activates a credential; the previous active one becomes `superseded` atomically. */
  async upload(vendorId: VendorId, actorId: string, upload: CredentialUpload): Promise<CredentialView> {
    if (upload.keystore.length > MAX_KEYSTORE_UPLOAD_BYTES) throw keystoreTooLarge(MAX_KEYSTORE_UPLOAD_BYTES);
    const credential = (() => {
      try {
        return loadCredential(upload.keystore, { alias: upload.credentialId, password: upload.password });
      } catch (err) {
        throw toCredentialError(err);
      }
    })();

    const saved = await this.tx.runInTenant(vendorId, async (m) => {
      // Locking the vendor row serialises concurrent uploads, so the one-active index never trips.
      const [vendor] = await m.query(`SELECT abn FROM vendors WHERE id = $1 FOR UPDATE`, [vendorId]);
      if (!vendor) throw new NotFoundError('vendor');
      if (vendor.abn !== credential.abn) {
        throw new AppError('credential.abn_mismatch', "The credential's ABN is not the vendor's ABN", {
          credentialAbn: credential.abn,
        });
      }
      const id = randomUUID();
      const pkcs8 = credential.privateKey.export({ type: 'pkcs8', format: 'der' });
      const envelope = await this.keys.encrypt(pkcs8, { vendorId, credentialId: id }).finally(() => pkcs8.fill(0));
      const repo = m.getRepository(M2mCredentialEntity);
      const now = new Date();
      const previous = await repo.findOne({ where: { vendorId, status: 'active' }, select: { id: true } });
      await repo.update({ vendorId, status: 'active' }, { status: 'superseded', supersededAt: now });
      const stored = await repo.save(
        repo.create({
          id,
          vendorId,
          credentialId: credential.id,
          abn: credential.abn,
          legalName: credential.legalName,
          serialNumber: credential.serialNumber,
          sha1Fingerprint: credential.sha1Fingerprint,
          notBefore: credential.notBefore,
          notAfter: credential.notAfter,
          certificateChain: credential.chain.map((der) => new X509Certificate(der).toString()).join(''),
          encryptedPrivateKey: envelope,
          keyProvider: this.keys.id,
          status: 'active',
          activatedAt: now,
          supersededAt: null,
          revokedAt: null,
          createdBy: actorId,
        }),
      );
      await this.recordEvent(m, previous ? 'credential.rotated' : 'credential.uploaded', stored, { supersededId: previous?.id });
      return stored;
    });
    this.vault.invalidate(vendorId);
    return toCredentialView(saved);
  }

  /** Oldest first, keyset-paginated on (created_at, id) like every other list. */
  async list(vendorId: VendorId, page: PageQuery): Promise<Page<CredentialView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    return this.tx.runInTenant(vendorId, async (m) => {
      const query = m
        .getRepository(M2mCredentialEntity)
        .createQueryBuilder('c')
        .where('c.vendor_id = :vendorId', { vendorId })
        .orderBy('c.created_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(page.limit + 1);
      if (after) query.andWhere('(c.created_at, c.id) > (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))', after);
      const { items, nextCursor } = toPage(await query.getMany(), page.limit);
      return { items: items.map(toCredentialView), nextCursor };
    });
  }

  get(vendorId: VendorId, id: string): Promise<CredentialView> {
    return this.tx.runInTenant(vendorId, async (m) =>
      toCredentialView(await this.findOwn(m.getRepository(M2mCredentialEntity), vendorId, id)),
    );
  }

  /** Revoked credentials stay for the audit trail; revoking twice returns the same state. */
  async revoke(vendorId: VendorId, id: string): Promise<CredentialView> {
    const row = await this.tx.runInTenant(vendorId, async (m) => {
      const repo = m.getRepository(M2mCredentialEntity);
      const found = await this.findOwn(repo, vendorId, id);
      if (found.status === 'revoked') return found;
      found.status = 'revoked';
      found.revokedAt = new Date();
      const revoked = await repo.save(found);
      await this.recordEvent(m, 'credential.revoked', revoked);
      return revoked;
    });
    this.vault.invalidate(vendorId);
    return toCredentialView(row);
  }

  /** In the change's own transaction: no credential change without its audit record. Certificate facts only. */
  private recordEvent(m: EntityManager, type: string, c: M2mCredentialEntity, extra: Record<string, unknown> = {}): Promise<void> {
    return this.audit.recordSecurityEvent(
      {
        type,
        vendorId: c.vendorId as VendorId,
        actor: this.tenant.principal,
        details: {
          credentialId: c.id,
          credentialAlias: c.credentialId,
          serialNumber: c.serialNumber,
          sha1Fingerprint: c.sha1Fingerprint,
          notAfter: c.notAfter.toISOString(),
          ...extra,
        },
      },
      m,
    );
  }

  private async findOwn(
    repo: Repository<M2mCredentialEntity>,
    vendorId: VendorId,
    id: string,
  ): Promise<M2mCredentialEntity> {
    const row = UUID.test(id) ? await repo.findOne({ where: { vendorId, id } }) : null;
    if (!row) throw new NotFoundError('credential');
    return row;
  }
}
