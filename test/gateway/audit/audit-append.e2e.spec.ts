import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { AuditAppendPool } from '@gateway/audit/audit-append.pool';
import { AuditRepository } from '@gateway/audit/audit.repository';
import { AuditEventInput } from '@gateway/audit/audit.types';
import { chainHmac, GENESIS_HASH } from '@gateway/audit/chain/audit-chain';
import { ChainKeyring } from '@gateway/audit/chain/chain-keyring';
import { verifyChain } from '@gateway/audit/chain/chain-verifier';
import { asVendorId } from '@gateway/database/vendor-id';
import { auditEventInput } from '../../support/audit-event';
import { testKeyring } from '../../support/chain-keys';
import { createTestDatabase, queryAs, TestDatabase } from '../../support/test-database';

/** What PostgreSQL can hold in text/jsonb: no NUL, no lone surrogate (neither is ever produced by the gateway). */
const storable = (s: string) => !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('audit_append_keyed (SQL) stores the bytes the Node verifier keys', () => {
  let db: TestDatabase;
  let app: DataSource;
  let appendPool: AuditAppendPool;
  let repo: AuditRepository;
  let vendorId: string;
  let orgIds: string[];
  const keys: ChainKeyring = testKeyring();
  const chainHash = (prevHash: string, record: Parameters<typeof chainHmac>[2]) => chainHmac(keys.current.key, prevHash, record);

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: vendorId }] = await queryAs<{ id: string }>(db.ownerUrl, `insert into vendors (name, abn) values ('V', '51824753556') returning id`);
    orgIds = [randomUUID(), randomUUID()];
    app = await new DataSource({ type: 'postgres', url: db.appUrl, extra: { max: 4 } }).initialize();
    appendPool = new AuditAppendPool(db.appUrl);
    repo = new AuditRepository(appendPool, keys);
  });
  afterAll(async () => {
    await appendPool?.close();
    await app?.destroy();
    await db?.drop();
  });

  const event = (organisationId: string | null, details: Record<string, unknown>, vendor: string | null = vendorId): AuditEventInput =>
    auditEventInput({
      vendorId: vendor ? asVendorId(vendor) : null,
      organisationId: vendor ? organisationId : null,
      category: 'security',
      type: 'test.append',
      requestId: 'req-ü',
      actor: 'user:Zoë',
      outcome: 'recorded',
      details,
    });

  const verify = (chainId: string) =>
    queryAs<{ seq: string; hash: string }>(db.ownerUrl, `select seq, hash from audit_chain_heads where chain_id = $1`, [chainId]).then(
      async ([head]) => {
        const owner = await new DataSource({ type: 'postgres', url: db.ownerUrl, extra: { max: 1 } }).initialize();
        try {
          return await verifyChain(
            chainId,
            (after) => repo.chainPage(owner.manager, chainId, after, 100),
            { seq: Number(head.seq), hash: head.hash },
            { keyFor: (id) => keys.key(id) },
          );
        } finally {
          await owner.destroy();
        }
      },
    );

  it("PostgreSQL's sha256(convert_to(text, 'UTF8')) is Node's sha256 of the UTF-8 string", async () => {
    const samples = fc.sample(fc.string({ unit: 'grapheme', maxLength: 40 }).filter(storable), 50);
    samples.push('Ŝtéphanie 李小龍 🧑‍🚀 "q" \\ \n \u2028', '');
    const rows = await queryAs<{ h: string }>(
      db.ownerUrl,
      `select encode(sha256(convert_to(s, 'UTF8')), 'hex') as h from unnest($1::text[]) with ordinality u(s, i) order by i`,
      [samples],
    );
    expect(rows.map((r) => r.h)).toEqual(samples.map((s) => createHash('sha256').update(s, 'utf8').digest('hex')));
  });

  it('stores what it hashed, with unicode, escapes and nested members, as a chain the verifier accepts', async () => {
    const details = { note: 'Ŝtéphanie 李 🧑‍🚀 "quoted" back\\slash\ttab\n\u2028', nested: { z: [1, 2.5, -0.001, null], a: true }, 'ключ': 'значение' };
    const stored = await repo.append(event(orgIds[0], details));
    expect(stored).toMatchObject({ chainSeq: 1, prevHash: GENESIS_HASH });
    const { prevHash, hash, keyId, ...record } = stored;
    expect(keyId).toBe(keys.current.id);
    expect(hash).toBe(chainHash(prevHash, record));
    const [row] = await queryAs<{ details: unknown; hash: string }>(db.ownerUrl, `select details, hash from audit_events where id = $1`, [stored.id]);
    expect(row).toEqual({ details, hash });
    await expect(verify(`org:${orgIds[0]}`)).resolves.toMatchObject({ ok: true, checked: 1 });
  });

  it('agrees with the Node hash for arbitrary JSON details', async () => {
    const chainId = `org:${orgIds[1]}`;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ unit: 'grapheme' }).filter(storable), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
          .filter((d) => storable(JSON.stringify(d)) && !JSON.stringify(d).includes('\\u0000')),
        async (details) => {
          const { prevHash, hash, keyId: _keyId, ...record } = await repo.append(event(orgIds[1], details));
          expect(hash).toBe(chainHash(prevHash, record));
        },
      ),
      { numRuns: 40 },
    );
    await expect(verify(chainId)).resolves.toMatchObject({ ok: true, checked: 40 });
  });

  it('appends a batch over several chains in one call, in order, and two crossing batches do not deadlock', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const batch = (first: string, second: string) => [event(first, { n: 1 }), event(second, { n: 2 }), event(null, { n: 3 }, null), event(first, { n: 4 })];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? repo.appendAll(batch(a, b)) : repo.appendAll(batch(b, a)))));
    for (const stored of results) {
      expect(stored.map((s) => s.details.n)).toEqual([1, 2, 3, 4]);
      expect(stored[3].chainSeq).toBe(stored[0].chainSeq + 1);
      expect(stored[3].prevHash).toBe(stored[0].hash);
    }
    for (const chainId of [`org:${a}`, `org:${b}`, 'platform']) {
      await expect(verify(chainId)).resolves.toMatchObject({ ok: true });
    }
    await expect(verify(`org:${a}`)).resolves.toMatchObject({ checked: 15 });
  });

  it('refuses a record whose canonical chain is not the chain it is appended to, and writes nothing', async () => {
    const org = randomUUID();
    await repo.append(event(org, { n: 1 }));
    const record = JSON.stringify({ category: 'security', chainId: `org:${randomUUID()}`, chainSeq: 2 });
    const batch = { chainIds: [`org:${org}`], records: [record], prevHashes: [GENESIS_HASH], hashes: ['a'.repeat(64)], keyId: keys.current.id };
    await expect(appendPool.append(batch)).rejects.toThrow(/is not of chain/);
    await expect(verify(`org:${org}`)).resolves.toMatchObject({ ok: true, checked: 1 });
  });

  it('two instances appending to one chain each catch up with the head the other moved, in and out of transactions', async () => {
    const org = randomUUID();
    const other = new AuditRepository(appendPool, keys);
    await repo.append(event(org, { n: 1 }));
    await other.append(event(org, { n: 2 }));
    // `repo` still believes the head is at 1: its first attempt is refused and it retries from the real head.
    await expect(repo.append(event(org, { n: 3 }))).resolves.toMatchObject({ chainSeq: 3 });
    await other.appendAll([event(org, { n: 4 })], app.manager);
    await app.transaction((m) => repo.appendAll([event(org, { n: 5 }), event(org, { n: 6 })], m));
    // Writers racing on one chain, with autocommit appends and with a bare manager (no transaction of its own): a
    // refused attempt is retried holding the head locks, so none of them is starved.
    const third = new AuditRepository(appendPool, keys);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 4 === 3 ? third.appendAll([event(org, { n: 7 + i })], app.manager) : [repo, other, third][i % 3].append(event(org, { n: 7 + i })),
      ),
    );
    await expect(verify(`org:${org}`)).resolves.toMatchObject({ ok: true, checked: 66, keyIds: [keys.current.id] });
  });

  it('moves the head to the last record of a batch on one chain', async () => {
    const org = randomUUID();
    const stored = await repo.appendAll([event(org, { n: 1 }), event(org, { n: 2 }), event(org, { n: 3 })]);
    expect(stored.map((s) => s.chainSeq)).toEqual([1, 2, 3]);
    const [head] = await queryAs<{ seq: string; hash: string }>(db.ownerUrl, `select seq, hash from audit_chain_heads where chain_id = $1`, [`org:${org}`]);
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: 3, hash: stored[2].hash });
  });

  it('leaves the caller its own tenant scope', async () => {
    const other = randomUUID();
    const seen = await app.transaction(async (m) => {
      await m.query(`select set_config('app.vendor_id', $1, true)`, [other]);
      await repo.appendAll([event(orgIds[0], {}), event(null, {}, null)], m);
      return m.query(`select current_setting('app.vendor_id', true) as v, current_setting('app.platform_scope', true) as p`);
    });
    expect(seen).toEqual([{ v: other, p: '' }]);
  });

  it('appends through its own pool as the app role, and close() ends those sessions on the server', async () => {
    const pool = new AuditAppendPool(db.appUrl, 2);
    const sessions = () =>
      queryAs<{ pid: number; role: string }>(
        db.ownerUrl,
        `select pid, usename as role from pg_stat_activity where datname = current_database() and application_name = 'usi-gateway-audit'`,
      );
    const others = new Set((await sessions()).map((s) => s.pid));
    const ours = async () => (await sessions()).filter((s) => !others.has(s.pid)).map((s) => s.role);
    const stored = await new AuditRepository(pool, keys).appendAll([event(orgIds[0], { n: 1 }), event(orgIds[0], { n: 2 })]);
    expect(stored[1].prevHash).toBe(stored[0].hash);
    expect(await ours()).toEqual(['usi_gateway_app']);
    await pool.close();
    expect(await ours()).toEqual([]);
  });
});
