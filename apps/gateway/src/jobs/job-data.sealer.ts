import { promisify } from 'node:util';
import { constants, deflateRaw, inflateRaw } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, KeyProvider } from '../keys/key-provider';
import { KEY_PROVIDER } from '../keys/key-provider';
import type { VendorId } from '../database/vendor-id';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
/** First plaintext byte of a compressed part. JSON text never starts with a NUL, so parts sealed before still open. */
const COMPRESSED = 0x00;
/** A decompressed part larger than this is refused rather than inflated (a batch of 500 rows is well under 1 MB). */
const MAX_PART_BYTES = 64 * 1024 * 1024;

/**
 * Bulk job inputs and results hold names, dates of birth and match results: stored only as key-provider envelopes (the
 * credentials' envelope). Vendor, job and part are the additional authenticated data, so a blob moved to another
 * job, part or tenant does not open.
 *
 * A part is compressed before it is encrypted: 500 rows of JSON shrink about eightfold, which is what a 100,000-row
 * upload writes to Postgres (and a worker reads back per batch). Compressing before encrypting can leak through the
 * ciphertext's length when an attacker mixes chosen text with a secret and watches the length (CRIME); a part holds
 * only one vendor's own rows and its length is visible to no one outside the database. zlib runs on libuv's threads,
 * off the event loop.
 */
@Injectable()
export class JobDataSealer {
  constructor(@Inject(KEY_PROVIDER) private readonly keys: KeyProvider) {}

  async seal(vendorId: VendorId, jobId: string, part: string, value: unknown): Promise<Envelope> {
    const compressed = await deflate(Buffer.from(JSON.stringify(value), 'utf8'), { level: constants.Z_BEST_SPEED });
    return this.keys.encrypt(Buffer.concat([Buffer.of(COMPRESSED), compressed]), context(vendorId, jobId, part));
  }

  async open<T>(vendorId: VendorId, jobId: string, part: string, sealed: Envelope): Promise<T> {
    const plaintext = await this.keys.decrypt(sealed, context(vendorId, jobId, part));
    const json = plaintext[0] === COMPRESSED ? await inflate(plaintext.subarray(1), { maxOutputLength: MAX_PART_BYTES }) : plaintext;
    return JSON.parse(json.toString('utf8')) as T;
  }
}

function context(vendorId: VendorId, jobId: string, part: string): Record<string, string> {
  return { purpose: 'bulk-job', vendorId, jobId, part };
}
