import { randomBytes } from 'node:crypto';
import { chainKeyId, ChainKeyring } from '@gateway/audit/chain/chain-keyring';

/** A keyring with one fresh chain key, for suites that build an AuditRepository themselves. */
export function testKeyring(): ChainKeyring {
  const key = randomBytes(32);
  return new ChainKeyring({ id: chainKeyId(key), key });
}
