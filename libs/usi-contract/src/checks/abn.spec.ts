import { isValidAbn } from './abn';

describe('isValidAbn', () => {
  it.each(['27809366375', '11000002568', '96312011219', '27 809 366 375'])('accepts %s', (abn) => {
    expect(isValidAbn(abn)).toBe(true);
  });

  it.each<[unknown, string]>([
    ['27809366376', 'last digit changed'],
    ['72809366375', 'first two digits swapped'],
    ['2780936637', 'too short'],
    ['278093663750', 'too long'],
    ['0780936637A', 'not digits'],
    ['01000002568', 'leading zero'],
    // The weighted sum of these is a multiple of 89, so only the format check refuses them.
    ['00000894847', 'leading zero, checksum otherwise correct'],
    ['27809A366375', 'a letter among the digits'],
    ['27-809-366-375', 'hyphens (only whitespace groups the digits)'],
    [27809366375, 'not a string'],
  ])('rejects %s (%s)', (abn: unknown) => {
    expect(isValidAbn(abn)).toBe(false);
  });

  it('catches every single-digit substitution of a valid ABN', () => {
    const abn = '27809366375';
    for (let i = 0; i < abn.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === abn[i]) continue;
        expect(isValidAbn(abn.slice(0, i) + d + abn.slice(i + 1))).toBe(false);
      }
    }
  });
});
