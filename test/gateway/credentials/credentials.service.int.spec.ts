import { createTestCa, listCredentials, loadCredential, writeKeystore } from '@usi/keystore';
import { execFileSync } from 'node:child_process';
import { randomBytes, sign, verify, X509Certificate } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '@gateway/audit/audit.service';
import { TenantContext } from '@gateway/common/request-context/tenant-context.service';
import type { AppConfig } from '@gateway/config/app-config';
import { CredentialChecker } from '@gateway/credentials/credential-check';
import { ManualCredentialRenewer } from '@gateway/credentials/credential-renewer';
import { CredentialVault } from '@gateway/credentials/credential-vault.service';
import type { CredentialCheck } from '@gateway/credentials/m2m-credential.entity';
import { CacheInvalidation } from '@gateway/common/cache/cache-invalidation.service';
import { CredentialsService } from '@gateway/credentials/credentials.service';
import { LocalKeyProvider } from '@gateway/keys/local-key-provider';
import { M2mCredentialEntity } from '@gateway/credentials/m2m-credential.entity';
import { TenantTransaction } from '@gateway/database/tenant-transaction.service';
import { asVendorId, VendorId } from '@gateway/database/vendor-id';
import { expiredKeystore, publicKeystore } from '../../support/public-keystores';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';

const PASSWORD = 'Password1!';
const VALID = publicKeystore();
const EXPIRED = expiredKeystore();
const INGLETON = 'ABRD:11000002568_INGLETON153';
const GENERATED_PASSWORD = `gen-${randomBytes(6).toString('hex')}`;

/** The audit records of credential changes are covered end to end in test/gateway/audit/credential-events.e2e.spec.ts. */
const audit = { recordSecurityEvent: async () => undefined } as unknown as AuditService;
const tenant = { principal: undefined } as unknown as TenantContext;
/** Never listening: the vault reads the active row every time, as while the real listener is down. */
const invalidation = new CacheInvalidation({} as AppConfig);
const config = { accessCache: { ttlMs: 30_000, maxEntries: 100 } } as AppConfig;
/** The token check with the ATO is covered end to end against the simulator (test/gateway/credentials/*lifecycle*). */
let nextCheck: CredentialCheck = { at: new Date().toISOString(), ok: true };
const checker = { check: async () => nextCheck } as unknown as CredentialChecker;
const newVault = (tx: TenantTransaction, keys: LocalKeyProvider, ttlMs?: number, clock?: () => Date) =>
  new CredentialVault(tx, keys, invalidation, config, undefined, ttlMs, clock);
const newService = (tx: TenantTransaction, keys: LocalKeyProvider, vault: CredentialVault) =>
  new CredentialsService(tx, keys, vault, audit, tenant, checker, invalidation, new ManualCredentialRenewer());

describe('CredentialsService against Postgres (RLS, app role)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: CredentialsService;
  let vault: CredentialVault;
  let vendorA: VendorId;
  let vendorB: VendorId;
  let keystoreB: string;
  let aliasB: string;

  const count = async () => Number((await queryAs<{ n: string }>(db.ownerUrl, 'SELECT count(*) n FROM m2m_credentials'))[0].n);
  const upload = (vendor: VendorId, keystore: Buffer | string, credentialId = INGLETON, password = PASSWORD) =>
    service.upload(vendor, 'user:test', { keystore: Buffer.from(keystore), credentialId, password });

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: vendorA as string }, { id: vendorB as string }] = [
      ...(await queryAs<{ id: string }>(db.ownerUrl, `INSERT INTO vendors (name, abn) VALUES ('A', '11000002568') RETURNING id`)),
      ...(await queryAs<{ id: string }>(db.ownerUrl, `INSERT INTO vendors (name, abn) VALUES ('B', '96312011219') RETURNING id`)),
    ];
    vendorA = asVendorId(vendorA);
    vendorB = asVendorId(vendorB);
    dataSource = new DataSource({ type: 'postgres', url: db.appUrl, entities: [M2mCredentialEntity] });
    await dataSource.initialize();
    const tx = new TenantTransaction(dataSource);
    const keys = new LocalKeyProvider(randomBytes(32));
    vault = newVault(tx, keys);
    service = newService(tx, keys, vault);

    const issued = createTestCa().issueMachineCredential({ abn: '96312011219', name: 'VendorB' });
    keystoreB = writeKeystore([{ abn: '96312011219', name: 'VendorB', chain: issued.chain, privateKey: issued.privateKey }], GENERATED_PASSWORD);
    aliasB = listCredentials(keystoreB)[0].id;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it.each([
    ['a wrong password', () => upload(vendorA, VALID, INGLETON, 'Password2!'), 'credential.wrong_password'],
    ['an expired credential', () => upload(vendorA, EXPIRED), 'credential.expired'],
    ["another ABN's credential", () => upload(vendorA, VALID, 'ABRD:27809366375_USIMachine'), 'credential.abn_mismatch'],
    ['an unknown alias', () => upload(vendorA, VALID, 'ABRD:11000002568_NOBODY'), 'credential.not_found_in_keystore'],
    ['a 10 MB file', () => upload(vendorA, Buffer.alloc(10 * 1024 * 1024, 0x41)), 'credential.keystore_too_large'],
    ['a file just over 1 MiB', () => upload(vendorA, Buffer.alloc(1024 * 1024 + 1, 0x20)), 'credential.keystore_too_large'],
    ['a non-XML file', () => upload(vendorA, randomBytes(4096)), 'credential.keystore_malformed'],
    ['a DOCTYPE', () => upload(vendorA, `<!DOCTYPE x [<!ENTITY e "e">]>${VALID.toString('utf8').replace(/^<\?xml[^>]*>/, '')}`), 'credential.keystore_malformed'],
  ])('refuses %s and stores nothing', async (_name, act, code) => {
    await expect(act()).rejects.toMatchObject({ code });
    expect(await count()).toBe(0);
  });

  it('stores, rotates atomically and serves the active credential from the vault', async () => {
    const first = await upload(vendorA, VALID);
    expect(first).toMatchObject({ credentialId: INGLETON, abn: '11000002568', status: 'active', keyProvider: 'local' });
    expect(JSON.stringify(first)).not.toMatch(/PRIVATE|encrypted|wrappedDataKey/i);
    const active1 = await vault.getActive(vendorA);
    expect(active1.id).toBe(first.id);

    const second = await upload(vendorA, VALID);
    expect(await service.get(vendorA, first.id)).toMatchObject({ status: 'superseded', supersededAt: expect.any(String) });
    const { items } = await service.list(vendorA, { limit: 50 });
    expect(items.map((c) => [c.id, c.status])).toEqual([
      [first.id, 'superseded'],
      [second.id, 'active'],
    ]);

    const active = await vault.getActive(vendorA);
    expect(active.id).toBe(second.id);
    const signature = sign('sha256', Buffer.from('probe'), active.privateKey);
    expect(verify('sha256', Buffer.from('probe'), new X509Certificate(active.certificateDer).publicKey, signature)).toBe(true);
    expect(JSON.stringify(active)).not.toMatch(/PRIVATE|BEGIN/);

    // The superseded one is still valid: revoking the active one offers it rather than leaving nothing.
    await expect(service.revoke(vendorA, second.id)).rejects.toMatchObject({
      code: 'credential.fallback_available',
      extensions: { fallback: expect.objectContaining({ id: first.id, status: 'superseded' }) },
    });
    expect((await vault.getActive(vendorA)).id).toBe(second.id);
    const revoked = await service.revoke(vendorA, second.id, { confirm: true });
    expect(revoked.status).toBe('revoked');
    await expect(vault.getActive(vendorA)).rejects.toMatchObject({ code: 'credential.none_active' });
  });

  it('keeps a failed upload pending with its reason, the active credential serving, and lets it be retried or deleted', async () => {
    const vendor = await newVendor();
    const good = await upload(vendor, VALID);
    nextCheck = { at: new Date().toISOString(), ok: false, code: 'sts.fault', reason: 'certificate_not_accepted', message: 'not trusted' };
    try {
      const bad = await upload(vendor, VALID);
      expect(bad).toMatchObject({ status: 'pending', activatedAt: null, lastCheck: { ok: false, reason: 'certificate_not_accepted' } });
      expect((await vault.getActive(vendor)).id).toBe(good.id);
      expect(await service.check(vendor, bad.id)).toMatchObject({ status: 'pending' });
      await expect(service.check(vendor, good.id)).rejects.toMatchObject({ code: 'credential.not_pending' });
      await expect(service.delete(vendor, good.id)).rejects.toMatchObject({ code: 'credential.not_pending' });
      nextCheck = { at: new Date().toISOString(), ok: true };
      expect(await service.check(vendor, bad.id)).toMatchObject({ status: 'active', lastCheck: { ok: true } });
      expect((await vault.getActive(vendor)).id).toBe(bad.id);
      expect(await service.get(vendor, good.id)).toMatchObject({ status: 'superseded' });
      nextCheck = { at: new Date().toISOString(), ok: false, code: 'upstream.unavailable', reason: 'unavailable', message: 'down' };
      const third = await upload(vendor, VALID);
      await service.delete(vendor, third.id);
      await expect(service.get(vendor, third.id)).rejects.toMatchObject({ code: 'credential.not_found' });
    } finally {
      nextCheck = { at: new Date().toISOString(), ok: true };
    }
  });

  it('keeps vendors apart in code and in the database', async () => {
    const own = await upload(vendorB, keystoreB, aliasB, GENERATED_PASSWORD);
    const [aId] = (await service.list(vendorA, { limit: 50 })).items.map((c) => c.id);
    expect((await service.list(vendorB, { limit: 50 })).items.map((c) => c.id)).toEqual([own.id]);
    await expect(service.get(vendorB, aId)).rejects.toMatchObject({ code: 'credential.not_found' });
    await expect(service.revoke(vendorB, aId)).rejects.toMatchObject({ code: 'credential.not_found' });
    await expect(service.get(vendorB, 'not-a-uuid')).rejects.toMatchObject({ code: 'credential.not_found' });
    // Row-level security alone, without the code's WHERE clauses: no tenant set, no rows.
    expect(await queryAs(db.appUrl, 'SELECT id FROM m2m_credentials')).toEqual([]);
    // An envelope copied onto another row does not decrypt: its context names the original row.
    await queryAs(
      db.ownerUrl,
      `UPDATE m2m_credentials SET encrypted_private_key = (SELECT encrypted_private_key FROM m2m_credentials WHERE id = $1) WHERE id = $2`,
      [aId, own.id],
    );
    vault.invalidate(vendorB);
    await expect(vault.getActive(vendorB)).rejects.toMatchObject({ code: 'key_provider.decrypt_failed' });
  });

  const newVendor = async (abn = '11000002568') =>
    asVendorId((await queryAs<{ id: string }>(db.ownerUrl, `INSERT INTO vendors (name, abn) VALUES ('C', $1) RETURNING id`, [abn]))[0].id);

  it('pages the list with an opaque cursor, oldest first, without overlap', async () => {
    const vendor = await newVendor();
    const uploaded = [];
    for (let i = 0; i < 3; i++) uploaded.push((await upload(vendor, VALID)).id);
    const first = await service.list(vendor, { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual(uploaded.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await service.list(vendor, { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: uploaded[2], status: 'active' })], nextCursor: null });
    await expect(service.list(vendor, { limit: 2, cursor: 'forged' })).rejects.toMatchObject({ code: 'request.invalid_cursor' });
  });

  it('caches the decrypted credential for the TTL only, and drops it on rotation', async () => {
    const vendor = await newVendor();
    const tx = new TenantTransaction(dataSource);
    const keys = new LocalKeyProvider(randomBytes(32));
    const decrypt = jest.spyOn(keys, 'decrypt');
    let now = Date.parse('2026-03-01T00:00:00Z');
    const cached = newVault(tx, keys, 60_000, () => new Date(now));
    const rotating = newService(tx, keys, cached);
    const upload1 = await rotating.upload(vendor, 'user:test', { keystore: VALID, credentialId: INGLETON, password: PASSWORD });

    expect((await cached.getActive(vendor)).id).toBe(upload1.id);
    now += 59_999;
    expect((await cached.getActive(vendor)).id).toBe(upload1.id);
    expect(decrypt).toHaveBeenCalledTimes(1);
    now += 1;
    await cached.getActive(vendor);
    expect(decrypt).toHaveBeenCalledTimes(2);

    const upload2 = await rotating.upload(vendor, 'user:test', { keystore: VALID, credentialId: INGLETON, password: PASSWORD });
    expect((await cached.getActive(vendor)).id).toBe(upload2.id);
    expect(decrypt).toHaveBeenCalledTimes(3);
  });

  it('leaves no private key, PKCS#8 DER or password in a dump of the database', () => {
    const dump = execFileSync('pg_dump', ['--data-only', db.ownerUrl], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain('11000002568'); // the dump does hold the credential rows
    expect(dump).not.toContain('PRIVATE KEY');
    for (const password of [PASSWORD, GENERATED_PASSWORD]) expect(dump).not.toContain(password);
    const keys = [
      loadCredential(VALID, { alias: INGLETON, password: PASSWORD }).privateKey,
      loadCredential(keystoreB, { alias: aliasB, password: GENERATED_PASSWORD }).privateKey,
    ];
    for (const key of keys) {
      const der = key.export({ type: 'pkcs8', format: 'der' });
      // A 48-byte window from the secret tail (CRT parameters; the modulus near the start is public in the
      // certificate): any base64 or hex rendering of the DER contains one of these, whatever the alignment.
      const start = der.length - 150;
      expect(dump).not.toContain(der.subarray(start, start + 48).toString('hex'));
      for (let shift = 0; shift < 3; shift++) {
        expect(dump).not.toContain(der.subarray(start + shift, start + shift + 48).toString('base64').slice(4, 40));
      }
    }
  });
});
