import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, KeyProvider } from '../keys/key-provider';
import { KEY_PROVIDER } from '../keys/key-provider';
import type { VendorId } from '../database/vendor-id';

/**
 * Stored responses carry USIs and verification results for 24 h, so they are kept encrypted with the credentials
 * KeyProvider. The vendor id and the key's hash are the additional authenticated data: a body copied to another
 * key or tenant does not open.
 */
@Injectable()
export class ResponseSealer {
  constructor(@Inject(KEY_PROVIDER) private readonly keys: KeyProvider) {}

  seal(vendorId: VendorId, key: string, body: unknown): Promise<Envelope> {
    // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as utf8.
    return this.keys.encrypt(Buffer.from(JSON.stringify(body ?? null), 'utf8'), context(vendorId, key));
  }

  async open(vendorId: VendorId, key: string, sealed: Envelope): Promise<unknown> {
    return JSON.parse((await this.keys.decrypt(sealed, context(vendorId, key))).toString('utf8'));
  }
}

function context(vendorId: VendorId, key: string): Record<string, string> {
  return { purpose: 'idempotency-response', vendorId, keyHash: createHash('sha256').update(key).digest('hex') };
}
