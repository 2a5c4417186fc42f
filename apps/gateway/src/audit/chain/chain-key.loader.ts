import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope, KeyProvider } from '../../keys/key-provider';
import { chainKeyId, ChainKey, ChainKeyring } from './chain-keyring';

/** Binds each envelope to its purpose and id, so no other sealed blob can be passed off as a chain key. */
const contextOf = (keyId: string) => ({ purpose: 'audit-chain-key', keyId });

/**
 * The chain keys, as credential private keys are kept: generated here, sealed by the key provider (local master key,
 * or a KMS data key) and stored in `audit_chain_keys` only as that envelope, so the database never holds one in
 * clear. The newest is current; the first instance to start creates it and every other instance adopts the same one.
 * Runs once at start: a KMS outage then fails the start, never an append.
 */
export async function loadChainKeyring(dataSource: DataSource, keys: KeyProvider): Promise<ChainKeyring> {
  const rows = await dataSource.transaction(async (m) => {
    // Instances starting together would each create a key; the lock makes the first one's the only one.
    await m.query(`select pg_advisory_xact_lock(hashtext('audit_chain_keys'))`);
    const found = await storedKeys(m);
    if (found.length) return found;
    const key = randomBytes(32);
    const keyId = chainKeyId(key);
    const envelope = await keys.encrypt(key, contextOf(keyId));
    key.fill(0);
    await m.query(`insert into audit_chain_keys (key_id, envelope) values ($1, $2)`, [keyId, envelope]);
    return storedKeys(m);
  });
  const opened: ChainKey[] = [];
  for (const row of rows) opened.push({ id: row.keyId, key: await keys.decrypt(row.envelope, contextOf(row.keyId)) });
  const [current, ...others] = opened;
  return new ChainKeyring(current, others);
}

function storedKeys(m: EntityManager): Promise<{ keyId: string; envelope: Envelope }[]> {
  return m.query(`select key_id as "keyId", envelope from audit_chain_keys order by created_at desc, key_id`);
}
