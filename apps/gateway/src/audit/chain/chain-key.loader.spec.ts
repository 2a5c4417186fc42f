import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Envelope } from '../../keys/key-provider';
import { LocalKeyProvider } from '../../keys/local-key-provider';
import { loadChainKeyring } from './chain-key.loader';
import { chainKeyId } from './chain-keyring';

interface StoredKey {
  keyId: string;
  envelope: Envelope;
  createdAt: number;
}

/** `audit_chain_keys` in memory, answering the three statements the loader may send and nothing else. */
function fakeDatabase(initial: StoredKey[] = []) {
  const rows = [...initial];
  const log: string[] = [];
  const manager = {
    query: async (sql: string, params: unknown[] = []) => {
      const text = sql.replace(/\s+/g, ' ').trim();
      if (text === `select pg_advisory_xact_lock(hashtext('audit_chain_keys'))`) {
        log.push('lock');
        return [{}];
      }
      if (text === 'insert into audit_chain_keys (key_id, envelope) values ($1, $2)') {
        log.push('insert');
        rows.push({ keyId: params[0] as string, envelope: params[1] as Envelope, createdAt: rows.length + 1 });
        return [];
      }
      const select = /^select key_id as "keyId", envelope from audit_chain_keys( order by created_at desc, key_id)?$/.exec(text);
      if (select) {
        log.push('select');
        const ordered = select[1] ? [...rows].sort((a, b) => b.createdAt - a.createdAt) : rows;
        return ordered.map(({ keyId, envelope }) => ({ keyId, envelope }));
      }
      throw new Error(`unexpected SQL: ${text}`);
    },
  };
  const dataSource = { transaction: async <T>(work: (m: typeof manager) => Promise<T>) => work(manager) } as unknown as DataSource;
  return { rows, log, dataSource };
}

describe('loadChainKeyring', () => {
  const keys = new LocalKeyProvider(randomBytes(32));
  const sealed = async (key: Buffer, createdAt: number, keyId = chainKeyId(key)): Promise<StoredKey> => ({
    keyId,
    envelope: await keys.encrypt(key, { purpose: 'audit-chain-key', keyId }),
    createdAt,
  });

  it('creates the first key under the lock and stores it only sealed, bound to its purpose and id', async () => {
    const db = fakeDatabase();
    const ring = await loadChainKeyring(db.dataSource, keys);
    expect(db.log).toEqual(['lock', 'select', 'insert', 'select']);
    expect(db.rows).toHaveLength(1);
    const [row] = db.rows;
    expect(ring.current.key).toHaveLength(32);
    expect(ring.current.id).toBe(chainKeyId(ring.current.key));
    expect(row.keyId).toBe(ring.current.id);
    const stored = JSON.stringify(row.envelope);
    expect(stored).not.toContain(ring.current.key.toString('hex'));
    expect(stored).not.toContain(ring.current.key.toString('base64'));
    await expect(keys.decrypt(row.envelope, { purpose: 'audit-chain-key', keyId: row.keyId })).resolves.toEqual(ring.current.key);
    await expect(keys.decrypt(row.envelope, { purpose: 'credential', keyId: row.keyId })).rejects.toThrow();
    await expect(keys.decrypt(row.envelope, { purpose: 'audit-chain-key', keyId: 'ak_0000000000000000' })).rejects.toThrow();
  });

  it('adopts the stored key on a later start instead of making another', async () => {
    const db = fakeDatabase();
    const first = await loadChainKeyring(db.dataSource, keys);
    const second = await loadChainKeyring(db.dataSource, keys);
    expect(db.rows).toHaveLength(1);
    expect(db.log.slice(4)).toEqual(['lock', 'select']);
    expect(second.current).toEqual(first.current);
  });

  it('keys new rows with the newest stored key and keeps the older ones for rows they keyed', async () => {
    const older = randomBytes(32);
    const newer = randomBytes(32);
    const db = fakeDatabase([await sealed(older, 1), await sealed(newer, 2)]);
    const ring = await loadChainKeyring(db.dataSource, keys);
    expect(ring.current).toEqual({ id: chainKeyId(newer), key: newer });
    expect(ring.key(chainKeyId(older))).toEqual(older);
    expect(db.log).toEqual(['lock', 'select']);
  });

  it('refuses to start with a sealed key stored under another key id', async () => {
    const real = randomBytes(32);
    const db = fakeDatabase([await sealed(real, 1), { ...(await sealed(randomBytes(32), 2)), keyId: chainKeyId(real) }]);
    await expect(loadChainKeyring(db.dataSource, keys)).rejects.toThrow();
  });
});
