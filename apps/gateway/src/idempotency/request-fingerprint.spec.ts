import fc from 'fast-check';
import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('drops undefined members, as JSON does, and keeps null ones', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('round-trips to a value deep-equal to the input (undefined members dropped)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('requestFingerprint', () => {
  const body = { usi: 'BNGH7C75FN', names: ['a', 'b'] };

  it('ignores key order but not values, method or path', () => {
    const base = requestFingerprint('POST', '/v1/x', body);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('post', '/v1/x', { names: ['a', 'b'], usi: 'BNGH7C75FN' })).toBe(base);
    expect(requestFingerprint('POST', '/v1/x', { ...body, names: ['b', 'a'] })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/x', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/y', body)).not.toBe(base);
  });
});
