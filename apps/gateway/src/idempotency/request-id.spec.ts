import fc from 'fast-check';
import { asVendorId } from '../database/vendor-id';
import { USI_REQUEST_ID_LENGTH, usiRequestIdFor } from './request-id';

const VENDOR = asVendorId('0b9f3c4e-8a52-4a55-9d1e-6f0f2b7c9a11');

describe('usiRequestIdFor', () => {
  it('is 20 base32 characters, stable for the same vendor and key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 255 }), (key) => {
        const id = usiRequestIdFor(VENDOR, key);
        expect(id).toHaveLength(USI_REQUEST_ID_LENGTH);
        expect(id).toMatch(/^[A-Z2-7]+$/);
        expect(usiRequestIdFor(VENDOR, key)).toBe(id);
      }),
    );
  });

  it('is the leading 100 bits of SHA-256(vendor LF key) in RFC 4648 base32', () => {
    // base32("sha256('…\nkey-1')") computed independently with coreutils: sha256sum | xxd -r -p | base32
    expect(usiRequestIdFor(VENDOR, 'key-1')).toBe('VRXBDC6ZWPHBCOQOUMLB');
  });

  it('differs between keys and between vendors', () => {
    const other = asVendorId('5d7e1a20-1111-4c2b-8e0e-000000000001');
    expect(usiRequestIdFor(VENDOR, 'a')).not.toBe(usiRequestIdFor(VENDOR, 'b'));
    expect(usiRequestIdFor(VENDOR, 'a')).not.toBe(usiRequestIdFor(other, 'a'));
  });
});
