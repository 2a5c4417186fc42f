/** The 32 USI characters in code-point order: digits 2–9, then A–Z without I and O. */
export const USI_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const N = USI_ALPHABET.length;
const USI_FORMAT = /^[A-HJ-NP-Z2-9]{10}$/;

/**
 * Luhn mod N sum, walking right to left. `doubleFirst` is true when generating (the rightmost payload character is
 * doubled) and false when validating (the rightmost character is the check character itself).
 */
function luhnSum(chars: string, doubleFirst: boolean): number {
  let sum = 0;
  let double = doubleFirst;
  for (let i = chars.length - 1; i >= 0; i--) {
    const addend = USI_ALPHABET.indexOf(chars[i]) * (double ? 2 : 1);
    sum += Math.floor(addend / N) + (addend % N);
    double = !double;
  }
  return sum;
}

/** Check character for the first nine characters of a USI (Luhn mod 32). */
export function usiCheckCharacter(first9: string): string {
  if (!/^[A-HJ-NP-Z2-9]{9}$/.test(first9)) {
    throw new RangeError('usiCheckCharacter needs 9 characters from the USI alphabet');
  }
  return USI_ALPHABET[(N - (luhnSum(first9, true) % N)) % N];
}

export function isValidUsi(value: unknown): boolean {
  return typeof value === 'string' && USI_FORMAT.test(value) && luhnSum(value, false) % N === 0;
}

/** A random, check-character-valid USI; `random` returns [0, 1) like Math.random (inject for reproducible tests). */
export function generateUsi(random: () => number = Math.random): string {
  let first9 = '';
  for (let i = 0; i < 9; i++) {
    first9 += USI_ALPHABET[Math.min(N - 1, Math.floor(random() * N))];
  }
  return first9 + usiCheckCharacter(first9);
}

/** A USI identifies a person, so logs and audit screens show only its first and last two characters. */
export function maskUsi(usi: string): string {
  if (usi.length <= 4) {
    return '*'.repeat(usi.length);
  }
  return usi.slice(0, 2) + '*'.repeat(usi.length - 4) + usi.slice(-2);
}
