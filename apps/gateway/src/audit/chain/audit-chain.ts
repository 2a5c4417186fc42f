import { createHash, createHmac } from 'node:crypto';
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

/**
 * Version 1 (unkeyed, rows without a key id, written before migration AuditKeyedChain):
 * hash = SHA-256(prev_hash ‖ canonical record JSON). Anyone who can write the database can recompute it, so it is
 * only ever checked, never written.
 */
export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}

/**
 * Version 2 (keyed): hash = HMAC-SHA256(chain key, prev_hash ‖ canonical record JSON), computed by the gateway with a
 * key the database never holds in clear (ChainKeyring), so a database superuser cannot recompute it after an edit.
 */
export function chainHmac(key: Buffer, prevHash: string, record: AuditRecord): string {
  return createHmac('sha256', key).update(prevHash).update(canonicalJson(record)).digest('hex');
}
