import { Inject, Injectable, Optional } from '@nestjs/common';
import { LoadedCredential, loadCredential } from '@usi/keystore';
import { randomUUID, X509Certificate } from 'node:crypto';
import { EntityManager, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Clock, CLOCK, systemClock } from '../common/clock';
import { WebhookEvents } from '../common/webhook-events/webhook-events';
import { SecurityEvents } from '../common/security-events/security-events';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination/cursor';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { TenantTransaction } from '../database/tenant-transaction.service';
import type { VendorId } from '../database/vendor-id';
import { CacheInvalidation } from '../common/cache/cache-invalidation.service';
import { CredentialChecker } from './credential-check';
import { CREDENTIAL_RENEWER, credentialName, CredentialRenewer, RenewalPlan } from './credential-renewer';
import { keystoreTooLarge, toCredentialError } from './credential-upload.error';
import { CredentialVault } from './credential-vault.service';
import { CredentialRef, credentialRef, CredentialView, toCredentialView } from './credential.view';
import { KEY_PROVIDER, KeyProvider } from '../keys/key-provider';
import { CredentialCheck, CredentialStatus, CredentialWarning, M2mCredentialEntity } from './m2m-credential.entity';

/** Real ATO keystores are a few KiB; anything near this is not one. */
export const MAX_KEYSTORE_UPLOAD_BYTES = 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CredentialUpload {
  keystore: Buffer;
  credentialId: string;
  /** Used once to decrypt the keystore entry, then dropped: never stored, logged or echoed. */
  password: string;
}

/** The organisation a direct-mode credential belongs to (its ABN must be the certificate's). */
export interface OwnerOrganisation {
  id: string;
  orgCode: string;
  abn: string;
}

export interface RevokeOptions {
  /** Revoke the active credential even though no valid credential takes over: every USI call it served stops. */
  confirm?: boolean;
  /** A valid superseded credential to make active in the same step (checked with the ATO first). */
  activate?: string;
}

export type RevokedView = CredentialView & { replacedBy?: CredentialRef };

/**
 * The machine-credential lifecycle of a vendor and of its organisations in direct mode.
 *
 * An upload is validated locally, stored `pending`, then proven with a first-party token request; only when that
 * succeeds does it become `active`, in one transaction that supersedes the previous one. A failed check leaves it
 * pending with the reason, and the current credential keeps serving. Superseded credentials that are still valid
 * can be made active again (confirmed, checked, audited); revoking the active credential offers such a fallback, or
 * needs a confirmation that every USI call it served will stop. Each switch is announced (`credential:<vendorId>`),
 * so every instance drops the vendor's cached credentials and tokens.
 */
@Injectable()
export class CredentialsService {
  private readonly now: Clock;

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly vault: CredentialVault,
    private readonly audit: SecurityEvents,
    private readonly tenant: TenantContext,
    private readonly checker: CredentialChecker,
    private readonly invalidation: CacheInvalidation,
    @Inject(CREDENTIAL_RENEWER) private readonly renewer: CredentialRenewer,
    @Optional() @Inject(CLOCK) clock?: Clock,
    /** Optional only for services built outside the app (integration tests); the app always provides it. */
    @Optional() private readonly webhooks?: WebhookEvents,
  ) {
    this.now = clock ?? systemClock;
  }

  /**
   * Stores the credential as `pending` (the vendor's own, or `organisation`'s for direct mode), then checks it with
   * the ATO: it is `active` in the answer when the check passed, else still `pending` with `lastCheck` saying why.
   */
  async upload(vendorId: VendorId, actorId: string, upload: CredentialUpload, organisation?: OwnerOrganisation | null): Promise<CredentialView> {
    if (upload.keystore.length > MAX_KEYSTORE_UPLOAD_BYTES) throw keystoreTooLarge(MAX_KEYSTORE_UPLOAD_BYTES);
    const credential = (() => {
      try {
        return loadCredential(upload.keystore, { alias: upload.credentialId, password: upload.password, now: this.now() });
      } catch (err) {
        throw toCredentialError(err);
      }
    })();

    const stored = await this.tx.runInTenant(vendorId, async (m) => {
      const owner = await this.lockOwner(m, vendorId, organisation?.id ?? null);
      if (owner.abn !== credential.abn) {
        const whose = organisation ? `organisation ${organisation.orgCode}'s ABN` : "vendor's ABN";
        throw new AppError('credential.abn_mismatch', `The credential's ABN is not the ${whose}`, {
          credentialAbn: credential.abn,
          ...(organisation ? { organisationAbn: owner.abn } : {}),
        });
      }
      const repo = m.getRepository(M2mCredentialEntity);
      const warnings = renewalWarnings(await this.predecessor(repo, vendorId, organisation?.id ?? null), credential);
      const id = randomUUID();
      const pkcs8 = credential.privateKey.export({ type: 'pkcs8', format: 'der' });
      const envelope = await this.keys.encrypt(pkcs8, { vendorId, credentialId: id }).finally(() => pkcs8.fill(0));
      const row = await repo.save(
        repo.create({
          id,
          vendorId,
          organisationId: organisation?.id ?? null,
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
          status: 'pending',
          activatedAt: null,
          supersededAt: null,
          revokedAt: null,
          lastCheck: null,
          warnings,
          createdBy: actorId,
        }),
      );
      await this.recordEvent(m, 'credential.uploaded', row, {
        status: 'pending',
        ...(warnings.length ? { warnings: warnings.map((w) => w.code) } : {}),
      });
      return row;
    });
    return toCredentialView(await this.settle(stored, await this.checker.check(credential)));
  }

  /** Checks a pending credential again (after a failed check): activates it when the ATO issues a token. */
  async check(vendorId: VendorId, id: string): Promise<CredentialView> {
    const row = await this.read(vendorId, id);
    if (row.status !== 'pending') throw notPending(row, 'checked');
    return toCredentialView(await this.settle(row, await this.checkRow(row)));
  }

  /** Only a pending credential can be deleted; the others stay for the audit trail (revoke them instead). */
  async delete(vendorId: VendorId, id: string): Promise<void> {
    await this.tx.runInTenant(vendorId, async (m) => {
      const repo = m.getRepository(M2mCredentialEntity);
      const row = await this.findOwn(repo, vendorId, id, true);
      if (row.status !== 'pending') throw notPending(row, 'deleted');
      await repo.delete({ vendorId, id });
      await this.recordEvent(m, 'credential.deleted', row, { status: 'pending' });
    });
  }

  /** Rollback: a superseded, still valid credential becomes active again, after a confirmation and a token check. */
  async reactivate(vendorId: VendorId, id: string, confirm: boolean): Promise<CredentialView> {
    const row = await this.read(vendorId, id);
    if (row.status === 'active') return toCredentialView(row);
    this.assertReactivatable(row);
    const current = await this.tx.runInTenant(vendorId, (m) => this.activeOf(m.getRepository(M2mCredentialEntity), row));
    if (!confirm) {
      throw new AppError(
        'credential.confirmation_required',
        `Making ${row.credentialId} active again replaces ${current ? `the active credential ${current.credentialId}` : 'no active credential'} ` +
          `for ${await this.servedBy(row)}. Send {"confirm": true} to do it.`,
        undefined,
        undefined,
        { credential: credentialRef(row), replaces: current ? credentialRef(current) : null },
      );
    }
    const check = await this.checkRow(row);
    if (!check.ok) {
      await this.recordFailedCheck(row, check);
      throw checkFailed(row, check);
    }
    const switched = await this.activate(row, 'superseded', check, 'credential.reactivated');
    if (!switched) throw new AppError('credential.not_reactivatable', 'The credential changed status meanwhile; read it again');
    return toCredentialView(switched);
  }

  /**
   * Revoking a pending or superseded credential needs nothing more. Revoking the active one either names a valid
   * superseded credential to take over (`activate`), or is confirmed (`confirm`): otherwise the answer is a 409 that
   * offers the fallback when one exists, or says that every USI call the credential served will stop.
   */
  async revoke(vendorId: VendorId, id: string, options: RevokeOptions = {}): Promise<RevokedView> {
    const row = await this.read(vendorId, id);
    if (row.status === 'revoked') return toCredentialView(row);
    if (row.status !== 'active') return toCredentialView(await this.revokeRow(row, row.status));

    if (options.activate) {
      const next = await this.read(vendorId, options.activate);
      if (next.organisationId !== row.organisationId) {
        throw new AppError('credential.not_reactivatable', 'The credential to activate belongs to another owner than the one revoked');
      }
      this.assertReactivatable(next);
      const check = await this.checkRow(next);
      if (!check.ok) {
        await this.recordFailedCheck(next, check);
        throw checkFailed(next, check);
      }
      const activated = await this.activate(next, 'superseded', check, 'credential.reactivated', row);
      if (!activated) throw new AppError('credential.status_changed', 'The credential to activate changed status meanwhile: read it again');
      return { ...(await this.get(vendorId, row.id)), replacedBy: credentialRef(activated) };
    }

    if (!options.confirm) {
      const fallback = await this.tx.runInTenant(vendorId, (m) => this.fallbackFor(m.getRepository(M2mCredentialEntity), row));
      const servedBy = await this.servedBy(row);
      if (fallback) {
        throw new AppError(
          'credential.fallback_available',
          `${row.credentialId} is the active credential. ${fallback.credentialId} (superseded, valid until ${fallback.notAfter.toISOString()}) ` +
            `can take over: send {"activate": "${fallback.id}"} to revoke this one and make that one active in one step (it is checked with the ATO first), ` +
            `or {"confirm": true} to revoke without a replacement, which stops every USI call for ${servedBy}.`,
          { fallbackId: fallback.id },
          undefined,
          { fallback: credentialRef(fallback) },
        );
      }
      throw new AppError(
        'credential.confirmation_required',
        `${row.credentialId} is the last valid credential: revoking it stops every USI call for ${servedBy} until a new credential ` +
          'is uploaded and checked. Send {"confirm": true} to revoke it anyway.',
        undefined,
        undefined,
        { consequence: 'usi_calls_stop' },
      );
    }
    return toCredentialView(await this.revokeRow(row, 'active', { confirmedWithoutReplacement: true }));
  }

  async renewal(vendorId: VendorId, id: string): Promise<RenewalPlan> {
    const row = await this.read(vendorId, id);
    return this.renewer.plan({
      id: row.id,
      credentialId: row.credentialId,
      abn: row.abn,
      notAfter: row.notAfter,
      orgCode: (await this.organisationOf(row))?.orgCode,
      now: this.now(),
    });
  }

  /** Oldest first, keyset-paginated on (created_at, id). `organisationId` null: the vendor's own credentials. */
  async list(vendorId: VendorId, page: PageQuery, organisationId: string | null = null): Promise<Page<CredentialView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    return this.tx.runInTenant(vendorId, async (m) => {
      const query = m
        .getRepository(M2mCredentialEntity)
        .createQueryBuilder('c')
        .where('c.vendor_id = :vendorId', { vendorId })
        .andWhere(organisationId ? 'c.organisation_id = :organisationId' : 'c.organisation_id IS NULL', { organisationId })
        .orderBy('c.created_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(page.limit + 1);
      if (after) query.andWhere('(c.created_at, c.id) > (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))', after);
      const { items, nextCursor } = toPage(await query.getMany(), page.limit);
      return { items: items.map(toCredentialView), nextCursor };
    });
  }

  async get(vendorId: VendorId, id: string): Promise<CredentialView> {
    return toCredentialView(await this.read(vendorId, id));
  }

  /** Passed → active (superseding the owner's active one); failed → stays pending with the reason. */
  private async settle(row: M2mCredentialEntity, check: CredentialCheck): Promise<M2mCredentialEntity> {
    if (check.ok) {
      const activated = await this.activate(row, 'pending', check, undefined);
      if (activated) return activated;
      return this.read(row.vendorId as VendorId, row.id);
    }
    return this.recordFailedCheck(row, check);
  }

  private async checkRow(row: M2mCredentialEntity): Promise<CredentialCheck> {
    const at = this.now();
    if (row.notAfter.getTime() <= at.getTime()) {
      return {
        at: at.toISOString(),
        ok: false,
        code: 'credential.expired',
        reason: 'expired',
        message: `The certificate expired on ${row.notAfter.toISOString()}: it cannot serve again. Upload a renewed credential.`,
      };
    }
    return this.checker.check(await this.vault.open(row));
  }

  /**
   * One transaction: the owner is locked, the row must still be `from`, the owner's active credential becomes
   * `superseded` (or `revoked`, when it is `revoking`) and this one `active`, with their audit events. Undefined
   * when the row moved on meanwhile. Calls never see the owner without an active credential in between.
   */
  private async activate(
    row: M2mCredentialEntity,
    from: CredentialStatus,
    check: CredentialCheck,
    eventType: string | undefined,
    revoking?: M2mCredentialEntity,
  ): Promise<M2mCredentialEntity | undefined> {
    const vendorId = row.vendorId as VendorId;
    const activated = await this.tx.runInTenant(vendorId, async (m) => {
      await this.lockOwner(m, vendorId, row.organisationId);
      const repo = m.getRepository(M2mCredentialEntity);
      const target = await repo.findOne({ where: { vendorId, id: row.id } });
      if (!target || target.status !== from) return undefined;
      const previous = await this.activeOf(repo, target);
      const now = this.now();
      if (revoking && previous?.id !== revoking.id) {
        throw new AppError('credential.status_changed', `${revoking.credentialId} is no longer the active credential: read it again`);
      }
      if (previous && revoking) {
        Object.assign(previous, { status: 'revoked', revokedAt: now });
        await repo.save(previous);
        await this.recordEvent(m, 'credential.revoked', previous, { previousStatus: 'active', replacedBy: target.id });
      } else if (previous) {
        previous.status = 'superseded';
        previous.supersededAt = now;
        await repo.save(previous);
      }
      Object.assign(target, { status: 'active', activatedAt: now, supersededAt: null, lastCheck: check });
      const saved = await repo.save(target);
      await this.recordEvent(m, eventType ?? (previous ? 'credential.rotated' : 'credential.activated'), saved, {
        ...(previous ? { supersededId: previous.id, supersededFingerprint: previous.sha1Fingerprint } : {}),
      });
      return saved;
    });
    if (activated) {
      this.switched(vendorId);
      // After the commit: the vendor hears of it only once it is true, and a webhook problem cannot undo it.
      await this.webhooks?.emit(vendorId, 'credential.activated', {
        credentialId: activated.id,
        organisationId: activated.organisationId ?? null,
        notAfter: activated.notAfter.toISOString(),
      });
    }
    return activated;
  }

  private async revokeRow(row: M2mCredentialEntity, expected: CredentialStatus, extra: Record<string, unknown> = {}): Promise<M2mCredentialEntity> {
    const vendorId = row.vendorId as VendorId;
    const revoked = await this.tx.runInTenant(vendorId, async (m) => {
      await this.lockOwner(m, vendorId, row.organisationId);
      const repo = m.getRepository(M2mCredentialEntity);
      const found = await this.findOwn(repo, vendorId, row.id);
      if (found.status === 'revoked') return found;
      if (found.status !== expected) {
        throw new AppError('credential.status_changed', `The credential is ${found.status} now, no longer ${expected}: read it again`);
      }
      const previousStatus = found.status;
      found.status = 'revoked';
      found.revokedAt = this.now();
      const saved = await repo.save(found);
      await this.recordEvent(m, 'credential.revoked', saved, { previousStatus, ...extra });
      return saved;
    });
    if (expected === 'active') this.switched(vendorId);
    return revoked;
  }

  private async recordFailedCheck(row: M2mCredentialEntity, check: CredentialCheck): Promise<M2mCredentialEntity> {
    const vendorId = row.vendorId as VendorId;
    return this.tx.runInTenant(vendorId, async (m) => {
      const repo = m.getRepository(M2mCredentialEntity);
      await repo.update({ vendorId, id: row.id }, { lastCheck: check });
      const updated = await this.findOwn(repo, vendorId, row.id);
      await this.recordEvent(m, 'credential.check_failed', updated, { status: updated.status, code: check.code, reason: check.reason });
      return updated;
    });
  }

  /** This instance drops the vendor's credentials and tokens now; the database trigger tells the others. */
  private switched(vendorId: VendorId): void {
    this.invalidation.publishLocal({ kind: 'credential', id: vendorId });
  }

  private assertReactivatable(row: M2mCredentialEntity): void {
    if (row.status !== 'superseded') {
      throw new AppError('credential.not_reactivatable', `Only a superseded credential can be made active again; this one is ${row.status}`, {
        status: row.status,
      });
    }
    if (row.notAfter.getTime() <= this.now().getTime()) {
      throw new AppError('credential.expired', `${row.credentialId} expired on ${row.notAfter.toISOString()} and cannot serve again`);
    }
  }

  /** Serialises the owner's uploads and switches; returns the ABN its credentials must carry. */
  private async lockOwner(m: EntityManager, vendorId: VendorId, organisationId: string | null): Promise<{ abn: string }> {
    const [owner] = organisationId
      ? await m.query(`SELECT abn FROM organisations WHERE vendor_id = $1 AND id = $2 FOR UPDATE`, [vendorId, organisationId])
      : await m.query(`SELECT abn FROM vendors WHERE id = $1 FOR UPDATE`, [vendorId]);
    if (!owner) throw new NotFoundError(organisationId ? 'organisation' : 'vendor');
    return owner;
  }

  private activeOf(repo: Repository<M2mCredentialEntity>, row: M2mCredentialEntity): Promise<M2mCredentialEntity | null> {
    return repo.findOne({
      where: { vendorId: row.vendorId, organisationId: row.organisationId ?? IsNull(), status: 'active', id: Not(row.id) },
    });
  }

  /** The most recently superseded credential of the same owner that is still valid. */
  private fallbackFor(repo: Repository<M2mCredentialEntity>, row: M2mCredentialEntity): Promise<M2mCredentialEntity | null> {
    return repo.findOne({
      where: {
        vendorId: row.vendorId,
        organisationId: row.organisationId ?? IsNull(),
        status: 'superseded',
        notAfter: MoreThan(this.now()),
      },
      order: { supersededAt: { direction: 'DESC', nulls: 'LAST' }, activatedAt: 'DESC' },
    });
  }

  /** What a renewal is compared with: the owner's active credential, else the one most recently active. */
  private async predecessor(repo: Repository<M2mCredentialEntity>, vendorId: VendorId, organisationId: string | null) {
    return repo.findOne({
      where: { vendorId, organisationId: organisationId ?? IsNull(), activatedAt: Not(IsNull()), status: Not('pending') },
      order: { activatedAt: 'DESC' },
    });
  }

  private async organisationOf(row: M2mCredentialEntity): Promise<{ orgCode: string } | undefined> {
    if (!row.organisationId) return undefined;
    const [org] = await this.tx.runInTenant(row.vendorId as VendorId, (m) =>
      m.query(`SELECT org_code AS "orgCode" FROM organisations WHERE vendor_id = $1 AND id = $2`, [row.vendorId, row.organisationId]),
    );
    return org;
  }

  /** Who stops being able to call the registry when this credential stops serving. */
  private async servedBy(row: M2mCredentialEntity): Promise<string> {
    const org = await this.organisationOf(row);
    return org ? `organisation ${org.orgCode} while it connects in direct mode` : 'every organisation connected through My Cloud (ActAs)';
  }

  private read(vendorId: VendorId, id: string): Promise<M2mCredentialEntity> {
    return this.tx.runInTenant(vendorId, (m) => this.findOwn(m.getRepository(M2mCredentialEntity), vendorId, id));
  }

  /** In the change's own transaction: no credential change without its audit record. Certificate facts only. */
  private recordEvent(m: EntityManager, type: string, c: M2mCredentialEntity, extra: Record<string, unknown> = {}): Promise<void> {
    return this.audit.recordSecurityEvent(
      {
        type,
        vendorId: c.vendorId as VendorId,
        organisationId: c.organisationId ?? undefined,
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

  /** A key restricted to some organisations sees their credentials (and the vendor's), never another's. */
  private async findOwn(repo: Repository<M2mCredentialEntity>, vendorId: VendorId, id: string, lock = false): Promise<M2mCredentialEntity> {
    const row = UUID.test(id)
      ? await repo.findOne({ where: { vendorId, id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    const restrictedTo = this.tenant.principal?.organisationIds;
    if (!row || (row.organisationId && restrictedTo && !restrictedTo.includes(row.organisationId))) throw new NotFoundError('credential');
    return row;
  }
}

function renewalWarnings(predecessor: M2mCredentialEntity | null, credential: LoadedCredential): CredentialWarning[] {
  if (!predecessor) return [];
  const before = credentialName(predecessor.credentialId);
  const now = credentialName(credential.id);
  if (before === now) return [];
  return [
    {
      code: 'credential.name_changed',
      message:
        `This credential is named "${now}", the one it replaces "${before}". In RAM, permissions belong to a credential by name: ` +
        `unless they have been granted to "${now}" as well, re-grant them in Relationship Authorisation Manager, or create the renewal ` +
        `with exactly the name "${before}" so that nothing has to be granted again.`,
    },
  ];
}

function notPending(row: M2mCredentialEntity, action: string): AppError {
  return new AppError(
    'credential.not_pending',
    `Only a pending credential can be ${action}; this one is ${row.status}` +
      (action === 'deleted' ? ' (revoke it instead: it stays for the audit trail)' : ''),
    { status: row.status },
  );
}

function checkFailed(row: M2mCredentialEntity, check: CredentialCheck): AppError {
  return new AppError('credential.check_failed', `${row.credentialId} did not pass the token check: ${check.message ?? check.code}`, undefined, undefined, {
    check,
  });
}
