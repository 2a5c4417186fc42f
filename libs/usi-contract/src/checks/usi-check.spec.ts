import fc from 'fast-check';
import { USI_ALPHABET, generateUsi, isValidUsi, maskUsi, usiCheckCharacter } from './usi-check';

const usiArb = fc
  .array(fc.constantFrom(...USI_ALPHABET), { minLength: 9, maxLength: 9 })
  .map((chars) => chars.join(''))
  .map((first9) => first9 + usiCheckCharacter(first9));

function swap(usi: string, i: number): string {
  return usi.slice(0, i) + usi[i + 1] + usi[i] + usi.slice(i + 2);
}

/** Luhn mod N misses a transposition only when doubling-with-carry maps both characters to the same residue. */
const UNDETECTED_PAIR = new Set(['2Z', 'Z2']);

describe('USI check character (Luhn mod 32)', () => {
  it('computes the worked examples from the contract notes', () => {
    expect(usiCheckCharacter('BNGH7C75F')).toBe('N');
    expect(usiCheckCharacter('XNY5NV9WG')).toBe('9');
  });

  it.each(['BNGH7C75FN', 'XNY5NV9WG9', 'HQ9HHNJC3J', 'GSR3R49PPX'])('accepts the known test USI %s', (usi) => {
    expect(isValidUsi(usi)).toBe(true);
  });

  it.each<[unknown, string]>([
    ['XNY5NV9WG8', 'wrong check character'],
    ['bngh7c75fn', 'lower case'],
    ['BNGH7C75F', 'too short'],
    ['BNGH7C75FNN', 'too long'],
    ['BNGH7C75F0', 'character outside the alphabet'],
    [1234567890, 'not a string'],
    // A '2' has code point 0, so these keep the Luhn sum of a valid USI: only the anchored length refuses them.
    ['2BNGH7C75FN', 'a valid USI with a leading character'],
    ['22BNGH7C75FN', 'a valid USI with two leading characters'],
    // A String object reads like the valid USI inside it; only the type check refuses it.
    [new String('BNGH7C75FN'), 'a String object'],
  ])('rejects %s (%s)', (usi: unknown) => {
    expect(isValidUsi(usi)).toBe(false);
  });

  // 0, 1, I and O are not USI characters. Each of these has the check character that makes the Luhn sum come out
  // (a character outside the alphabet has no code point, so the sum treats it as -1): only the alphabet refuses them.
  it.each(['BNGO7C75F7', 'BNGI7C75F7', 'BNG07C75F7', 'BNG17C75F7'])('rejects %s (forbidden character, check sum aside)', (usi) => {
    expect(isValidUsi(usi)).toBe(false);
  });

  it('rejects a forbidden character at any position, whatever the check character', () => {
    const rejected: string[] = [];
    for (const bad of '01IO') {
      rejected.push('BNGH7C75F' + bad);
      for (let i = 0; i < 9; i++) {
        const first9 = 'BNGH7C75F'.slice(0, i) + bad + 'BNGH7C75F'.slice(i + 1);
        rejected.push(...[...USI_ALPHABET].map((check) => first9 + check));
      }
    }
    expect(rejected.filter((usi) => isValidUsi(usi))).toEqual([]);
  });

  it('refuses to compute a check character for malformed input', () => {
    expect(() => usiCheckCharacter('BNGH7C75')).toThrow(RangeError);
    expect(() => usiCheckCharacter('BNGH7C7OF')).toThrow(/9 characters from the USI alphabet/);
    // Ten good characters are not nine: neither the first nor the last nine may be taken.
    expect(() => usiCheckCharacter('2BNGH7C75F')).toThrow(RangeError);
  });

  it('generates valid USIs, deterministically for an injected random source', () => {
    fc.assert(fc.property(fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), (stream) => {
      const usi = generateUsi(() => stream.next().value);
      expect(isValidUsi(usi)).toBe(true);
    }));
    expect(generateUsi(() => 0)).toBe('222222222' + usiCheckCharacter('222222222'));
    expect(generateUsi(() => 0.999)).toBe('ZZZZZZZZZ' + usiCheckCharacter('ZZZZZZZZZ'));
    expect(generateUsi(() => 0.5)).toBe('JJJJJJJJJ' + usiCheckCharacter('JJJJJJJJJ'));
    // A source that returns 1 (outside the [0, 1) contract) still yields alphabet characters, not "undefined".
    expect(generateUsi(() => 1)).toBe('ZZZZZZZZZ' + usiCheckCharacter('ZZZZZZZZZ'));
    expect(isValidUsi(generateUsi())).toBe(true);
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(usiArb, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...USI_ALPHABET), (usi, i, ch) => {
        fc.pre(usi[i] !== ch);
        expect(isValidUsi(usi.slice(0, i) + ch + usi.slice(i + 1))).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('misses an adjacent transposition of distinct characters only for the pair 2/Z', () => {
    fc.assert(
      fc.property(usiArb, fc.integer({ min: 0, max: 8 }), (usi, i) => {
        fc.pre(usi[i] !== usi[i + 1]);
        expect(isValidUsi(swap(usi, i))).toBe(UNDETECTED_PAIR.has(usi[i] + usi[i + 1]));
      }),
      { numRuns: 5000 },
    );
  });

  // Exhaustive over every ordered pair of distinct characters at each adjacent payload position (0..7).
  const exhaustive = (() => {
    let missed = 0;
    let total = 0;
    for (let i = 0; i < 8; i++) {
      for (const a of USI_ALPHABET) {
        for (const b of USI_ALPHABET) {
          if (a === b) continue;
          const chars = [...'BNGH7C75F'];
          chars[i] = a;
          chars[i + 1] = b;
          const first9 = chars.join('');
          total++;
          if (isValidUsi(swap(first9 + usiCheckCharacter(first9), i))) missed++;
        }
      }
    }
    return { missed, total, rate: (total - missed) / total };
  })();

  it(`detects ${(exhaustive.rate * 100).toFixed(3)}% of adjacent transpositions (${exhaustive.total - exhaustive.missed}/${exhaustive.total})`, () => {
    // Exactly the two ordered pairs 2Z and Z2 go unnoticed at each of the 8 positions: 1 - 2/992 = 99.798%.
    expect(exhaustive.missed).toBe(2 * 8);
    expect(exhaustive.total).toBe(8 * 32 * 31);
  });

  it('masks all but the first and last two characters', () => {
    expect(maskUsi('BNGH7C75FN')).toBe('BN******FN');
    expect(maskUsi('ABC')).toBe('***');
    // Four characters would be shown whole by "first two + last two": mask them all.
    expect(maskUsi('AB12')).toBe('****');
    expect(maskUsi('ABCDE')).toBe('AB*DE');
  });
});
