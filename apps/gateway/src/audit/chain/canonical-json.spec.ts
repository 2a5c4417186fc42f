import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 'q' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":"q","z":1}]},"b":1}',
    );
  });

  it('is independent of key insertion order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const reparsed = JSON.parse(text) as unknown;
        expect(canonicalJson(reparsed)).toBe(text);
        const shuffled = JSON.parse(JSON.stringify(value), function (this: unknown, _k, v: unknown) {
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            return Object.fromEntries(Object.entries(v).reverse());
          }
          return v;
        }) as unknown;
        expect(canonicalJson(shuffled)).toBe(text);
      }),
    );
  });
});

describe('canonicalJson (values JSON.stringify has no text for)', () => {
  it('writes undefined as null, at the top and inside arrays, so a hash never covers the text "undefined"', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([1, undefined, { b: 1, a: [2] }])).toBe('[1,null,{"a":[2],"b":1}]');
  });
});
