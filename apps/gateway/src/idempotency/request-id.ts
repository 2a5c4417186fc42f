import { createHash } from 'node:crypto';
import type { VendorId } from '../database/vendor-id';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The USI `RequestIDType` allows at most 20 characters. */
export const USI_REQUEST_ID_LENGTH = 20;

/**
 * The CreateUSI / BulkUpload `RequestId` for an idempotency key: the same (vendor, key) always yields the same id, so
 * a retried request is recognisable upstream too. 20 base32 characters carry 100 bits of SHA-256: collisions between
 * a vendor's keys are not a practical concern, and the key itself (which may be meaningful to the vendor) never leaves.
 */
export function usiRequestIdFor(vendorId: VendorId, idempotencyKey: string): string {
  // A string is hashed as UTF-8.
  const digest = createHash('sha256').update(vendorId).update('\n').update(idempotencyKey).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    // Stryker disable next-line EqualityOperator,ConditionalExpression: the 5-bit groups come out in the same order whenever
    // they are taken, and 20 characters end exactly on a byte's bits (100 = 12.5 bytes), so neither bound changes the id.
    while (bits >= 5 && out.length < USI_REQUEST_ID_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    // Stryker disable next-line ConditionalExpression: only saves hashing the remaining bytes; the while bound stops the output.
    if (out.length === USI_REQUEST_ID_LENGTH) break;
    value &= (1 << bits) - 1;
  }
  return out;
}
