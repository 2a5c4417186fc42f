import fc from 'fast-check';
import { canonicalJson, canonicalJsonAround } from './canonical-json';

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

  it('cuts around a top-level member so that head + value + tail is the canonical JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.integer({ min: 0 }), (rest, key, seq) => {
        const { head, tail } = canonicalJsonAround(rest, key);
        expect(head + String(seq) + tail).toBe(canonicalJson({ ...rest, [key]: seq }));
      }),
    );
    expect(canonicalJsonAround({ chainId: 'c', details: {} }, 'chainSeq')).toEqual({ head: '{"chainId":"c","chainSeq":', tail: ',"details":{}}' });
    expect(canonicalJsonAround({}, 'k')).toEqual({ head: '{"k":', tail: '}' });
  });
});
