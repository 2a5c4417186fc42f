import { createHash } from 'node:crypto';
import type { AuditRecord } from '../audit.types';
import { canonicalJson } from './canonical-json';

/** The prev_hash of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

export const PLATFORM_CHAIN = 'platform';

/** One chain per organisation; vendor-level events without an organisation chain per vendor; the rest is platform. */
export function chainIdFor(vendorId: string | null, organisationId: string | null): string {
  if (organisationId) return `org:${organisationId}`;
  if (vendorId) return `vendor:${vendorId}`;
  return PLATFORM_CHAIN;
}

/** hash = SHA-256(prev_hash ‖ canonical record JSON). */
export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}
