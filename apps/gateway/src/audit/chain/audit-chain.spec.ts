import { randomUUID } from 'node:crypto';
import { assertChainId } from '../anchor/audit-anchor.store';
import type { AuditRecord } from '../audit.types';
import { chainHash, chainHmac, chainIdFor, GENESIS_HASH, PLATFORM_CHAIN } from './audit-chain';

const KEY = Buffer.alloc(32, 1);
/** Field order scrambled on purpose: the hash covers the canonical form. */
const RECORD = { details: { b: 2, a: 1 }, id: 'e1', chainSeq: 1 } as unknown as AuditRecord;

describe('audit chain ids', () => {
  const vendor = randomUUID();
  const organisation = randomUUID();

  it('puts an organisation event on its organisation chain, a vendor-level one on the vendor chain, the rest on the platform chain', () => {
    expect(chainIdFor(vendor, organisation)).toBe(`org:${organisation}`);
    expect(chainIdFor(vendor, null)).toBe(`vendor:${vendor}`);
    expect(chainIdFor(null, null)).toBe(PLATFORM_CHAIN);
    expect(chainIdFor(null, organisation)).toBe(PLATFORM_CHAIN);
  });

  it('makes only ids the anchor stores accept as file names and object keys', () => {
    for (const id of [chainIdFor(vendor, organisation), chainIdFor(vendor, null), chainIdFor(null, null)]) {
      expect(assertChainId(id)).toBe(id);
    }
  });
});

// Stored rows and checkpoints must keep verifying after an upgrade: these values were computed once and are pinned.
describe('chain hashes (known answers)', () => {
  it('starts every chain on 64 zeros', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes version-1 rows with SHA-256 over the previous hash and the canonical record', () => {
    expect(chainHash(GENESIS_HASH, RECORD)).toBe('74c76a3e6708bf3e1efb91d9a4be6b36e8f0fe022a964968901ec569d8afb53e');
  });

  it('hashes keyed rows with HMAC-SHA256 under the chain key, which differs from the unkeyed hash', () => {
    expect(chainHmac(KEY, GENESIS_HASH, RECORD)).toBe('e23c9e409ffc602fbbab25b68d71a70938c8be741390c07e3f328e43f6d135a1');
    expect(chainHmac(Buffer.alloc(32, 2), GENESIS_HASH, RECORD)).not.toBe(chainHmac(KEY, GENESIS_HASH, RECORD));
  });
});
