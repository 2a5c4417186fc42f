import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, KeyProvider } from '../keys/key-provider';
import { KEY_PROVIDER } from '../keys/key-provider';
import type { VendorId } from '../database/vendor-id';

/**
 * Bulk job inputs and results hold names, dates of birth and match results: stored only as key-provider envelopes (the
 * credentials' envelope). Vendor, job and part are the additional authenticated data, so a blob moved to another
 * job, part or tenant does not open.
 */
@Injectable()
export class JobDataSealer {
  constructor(@Inject(KEY_PROVIDER) private readonly keys: KeyProvider) {}

  seal(vendorId: VendorId, jobId: string, part: string, value: unknown): Promise<Envelope> {
    return this.keys.encrypt(Buffer.from(JSON.stringify(value), 'utf8'), context(vendorId, jobId, part));
  }

  async open<T>(vendorId: VendorId, jobId: string, part: string, sealed: Envelope): Promise<T> {
    return JSON.parse((await this.keys.decrypt(sealed, context(vendorId, jobId, part))).toString('utf8')) as T;
  }
}

function context(vendorId: VendorId, jobId: string, part: string): Record<string, string> {
  return { purpose: 'bulk-job', vendorId, jobId, part };
}
