import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { AuditCheckpoints } from '@gateway/audit/anchor/audit-checkpoints.service';
import { SELECT_AUDIT_COLUMNS, toStoredEvent } from '@gateway/audit/audit-event.columns';
import { AuditService } from '@gateway/audit/audit.service';
import { EMPTY_AUDIT_FIELDS, StoredAuditEvent } from '@gateway/audit/audit.types';
import { chainHash } from '@gateway/audit/chain/audit-chain';
import { ChainKeyring } from '@gateway/audit/chain/chain-keyring';
import { asVendorId } from '@gateway/database/vendor-id';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';

/**
 * Issue 13 §5, reproduced: a database superuser edits the trail and recomputes the chain without the key. The chain
 * key (HMAC) and the signed checkpoints outside the database must each catch what they are there for.
 */
describe('audit chain against a database superuser', () => {
  let gw: GatewayTestApp;
  let owner: DataSource;
  let anchorDir: string;
  let vendorId: string;
  let auth: { Authorization: string };

  beforeAll(async () => {
    anchorDir = mkdtempSync(join(tmpdir(), 'audit-anchors-'));
    gw = await createGatewayApp({ env: { AUDIT_ANCHOR_DIR: anchorDir } });
    owner = await new DataSource({ type: 'postgres', url: gw.db.ownerUrl, extra: { max: 1 } }).initialize();
    vendorId = (await gw.newVendor()).id;
    auth = { Authorization: `Bearer ${(await gw.newApiKey(vendorId, { scopes: ['audit:read'] })).key}` };
  });
  afterAll(async () => {
    await owner?.destroy();
    await gw?.close();
    rmSync(anchorDir, { recursive: true, force: true });
  });

  /** Five exchange outcomes on a new organisation's chain; the third is a failed call. */
  async function chainWithAFailedCall(): Promise<{ orgCode: string; chainId: string }> {
    const org = await gw.newOrganisation(vendorId);
    const audit = gw.app.get(AuditService);
    for (let i = 1; i <= 5; i++) {
      const failed = i === 3;
      await audit.append({
        ...EMPTY_AUDIT_FIELDS,
        vendorId: asVendorId(vendorId),
        organisationId: org.id,
        category: 'exchange',
        type: failed ? 'failed' : 'completed',
        operation: 'VerifyUSI',
        outcome: failed ? 'failed' : 'completed',
        httpStatus: failed ? 403 : 200,
        errorCode: failed ? 'usi.not_authorised' : null,
        details: { n: i },
      });
    }
    return { orgCode: org.orgCode, chainId: `org:${org.id}` };
  }

  const verify = (orgCode: string) =>
    request(gw.http).get('/v1/audit/verify').query({ organisation: orgCode }).set(auth).expect(200).then((r) => r.body);

  const rowsOf = async (m: EntityManager, chainId: string): Promise<StoredAuditEvent[]> =>
    (await m.query(`select ${SELECT_AUDIT_COLUMNS} from audit_events where chain_id = $1 order by chain_seq`, [chainId])).map(toStoredEvent);

  /** As the superuser, with triggers off for the session (the append-only trigger included). */
  const asSuperuser = (work: (m: EntityManager) => Promise<void>) =>
    owner.transaction(async (m) => {
      await m.query(`SET session_replication_role = replica`);
      try {
        await work(m);
      } finally {
        await m.query(`SET session_replication_role = origin`);
      }
    });

  /**
   * The forgery of the issue: the failed call becomes a success, every later hash is recomputed with the product's
   * own unkeyed function (the only one there is without the key) and the head is moved to the new last hash.
   * `stripKeys` also clears the key id of the rows it rewrites (from `fromSeq` on), as if they were older, unkeyed rows.
   */
  async function forge(chainId: string, options: { stripKeys?: boolean; fromSeq?: number } = {}): Promise<void> {
    await asSuperuser(async (m) => {
      await m.query(
        `update audit_events set type = 'completed', outcome = 'completed', http_status = 200, error_code = null
         where chain_id = $1 and chain_seq = 3`,
        [chainId],
      );
      const rows = await rowsOf(m, chainId);
      let prev = rows[0].prevHash;
      for (const row of rows) {
        const { prevHash: _p, hash: _h, keyId, ...record } = row;
        const rewrite = row.chainSeq >= (options.fromSeq ?? 3);
        if (rewrite) {
          const hash = chainHash(prev, record);
          await m.query(`update audit_events set prev_hash = $3, hash = $4, key_id = $5 where chain_id = $1 and chain_seq = $2`, [
            chainId,
            row.chainSeq,
            prev,
            hash,
            options.stripKeys ? null : keyId,
          ]);
          prev = hash;
        } else {
          prev = row.hash;
        }
      }
      await m.query(`update audit_chain_heads set hash = $2 where chain_id = $1`, [chainId, prev]);
    });
  }

  it('a valid chain verifies with the chain key, and names the checkpoint it was checked against', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    const before = await verify(orgCode);
    expect(before).toMatchObject({ ok: true, checked: 5, checkpoint: null, unkeyedEvents: 0 });
    const written = await gw.app.get(AuditCheckpoints).checkpointAll();
    const mine = written.find((c) => c.chainId === chainId)!;
    expect(mine).toMatchObject({ seq: 5, keyedFrom: 1 });
    const after = await verify(orgCode);
    expect(after).toEqual({
      chainId,
      chain: 'organisation',
      vendorId,
      organisationId: chainId.slice('org:'.length),
      orgCode,
      ok: true,
      checked: 5,
      keyIds: [gw.app.get(ChainKeyring).current.id],
      unkeyedEvents: 0,
      checkpoint: { seq: 5, at: mine.at, keyId: mine.keyId, hash: mine.hash },
      anchorProblems: [],
    });
    // An idle chain is not checkpointed again.
    expect((await gw.app.get(AuditCheckpoints).checkpointAll()).find((c) => c.chainId === chainId)).toBeUndefined();
  });

  it('rows written before the chain was keyed verify as unkeyed, and the keyed rows continue them', async () => {
    const org = await gw.newOrganisation(vendorId);
    const chainId = `org:${org.id}`;
    // Two rows as the unkeyed `audit_append` of migration AuditAppendFewerStatements stored them.
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 2; seq++) {
      const record = {
        id: randomUUID(), occurredAt: new Date().toISOString(), chainId, chainSeq: seq, vendorId, organisationId: org.id,
        category: 'security' as const, type: 'test.legacy', requestId: null, actor: null, operation: null, outcome: 'recorded',
        httpStatus: null, errorCode: null, usiHmac: null, usiMasked: null, relatedEventId: null, details: { seq },
      };
      const hash = chainHash(prev, record);
      await owner.query(
        `insert into audit_events (id, occurred_at, chain_id, chain_seq, prev_hash, hash, vendor_id, organisation_id, category, type, outcome, details)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'security', 'test.legacy', 'recorded', $9)`,
        [record.id, record.occurredAt, chainId, seq, prev, hash, vendorId, org.id, record.details],
      );
      prev = hash;
    }
    await owner.query(`insert into audit_chain_heads (chain_id, vendor_id, seq, hash) values ($1, $2, 2, $3)`, [chainId, vendorId, prev]);
    await gw.app.get(AuditService).recordSecurityEvent({ type: 'test.keyed', vendorId: asVendorId(vendorId), organisationId: org.id });
    expect(await verify(org.orgCode)).toMatchObject({ ok: true, checked: 3, unkeyedEvents: 2, keyIds: [gw.app.get(ChainKeyring).current.id] });
    const [head] = await owner.query(`select seq, keyed_from from audit_chain_heads where chain_id = $1`, [chainId]);
    expect(head).toEqual({ seq: '3', keyed_from: '3' });
  });

  it('reports the failed call turned into a success, hashes recomputed without the key, at that event', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    const [victim] = await owner.query(`select id from audit_events where chain_id = $1 and chain_seq = 3`, [chainId]);
    await forge(chainId);
    const [forged] = await owner.query(`select outcome, http_status from audit_events where id = $1`, [victim.id]);
    expect(forged).toEqual({ outcome: 'completed', http_status: 200 });
    const result = await verify(orgCode);
    expect(result).toMatchObject({ ok: false, checked: 2, brokenAt: { id: victim.id, chainSeq: 3, reason: 'hash_mismatch' } });
  });

  it('reports the same forgery passed off as unkeyed rows at the first of them', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    await forge(chainId, { stripKeys: true });
    expect(await verify(orgCode)).toMatchObject({ ok: false, checked: 2, brokenAt: { chainSeq: 3, reason: 'unkeyed_event' } });
  });

  it('a whole chain rewritten unkeyed is caught by its checkpoint', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    await gw.app.get(AuditCheckpoints).checkpointAll();
    await forge(chainId, { stripKeys: true, fromSeq: 1 });
    expect(await verify(orgCode)).toMatchObject({ ok: false, checked: 0, brokenAt: { chainSeq: 1, reason: 'unkeyed_event' } });
  });

  it('reports rows truncated after a checkpoint, even with the head moved back to match', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    await gw.app.get(AuditCheckpoints).checkpointAll();
    await asSuperuser(async (m) => {
      await m.query(`delete from audit_events where chain_id = $1 and chain_seq > 3`, [chainId]);
      await m.query(
        `update audit_chain_heads h set seq = 3, hash = e.hash from audit_events e
         where h.chain_id = $1 and e.chain_id = $1 and e.chain_seq = 3`,
        [chainId],
      );
    });
    expect(await verify(orgCode)).toMatchObject({
      ok: false,
      checked: 3,
      brokenAt: { id: null, chainSeq: 4, reason: 'truncated' },
      checkpoint: { seq: 5 },
    });
  });

  it('an anchor file edited to match a truncated chain fails its signature', async () => {
    const { orgCode, chainId } = await chainWithAFailedCall();
    await gw.app.get(AuditCheckpoints).checkpointAll();
    const file = join(anchorDir, `${chainId.replace(':', '_')}.jsonl`);
    const [line] = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(line), seq: 3 })}\n`);
    expect(await verify(orgCode)).toMatchObject({ ok: false, checkpoint: null, anchorProblems: [`${chainId} line 1: signature does not verify`] });
  });
});
