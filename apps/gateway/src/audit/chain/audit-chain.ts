import { createHash } from 'node:crypto';
import type { AuditRecord } from '../audit.types';
import { canonicalJson } from './canonical-json';

/** The prev_hash of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

export const PLATFORM_CHAIN = 'platform';

/**
 * One chain per organisation; vendor-level events without an organisation chain per vendor; events without a vendor
 * (platform staff, unauthenticated requests) go to the platform chain, so every row of a tenant chain is visible to
 * that tenant and the tenant can verify it whole.
 */
export function chainIdFor(vendorId: string | null, organisationId: string | null): string {
  if (!vendorId) return PLATFORM_CHAIN;
  return organisationId ? organisationChain(organisationId) : vendorChain(vendorId);
}

export const organisationChain = (organisationId: string): string => `org:${organisationId}`;
export const vendorChain = (vendorId: string): string => `vendor:${vendorId}`;

/** hash = SHA-256(prev_hash ‖ canonical record JSON). */
export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}
