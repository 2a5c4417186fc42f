import { randomInt } from 'node:crypto';

const WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];

/** Checked independently of `@usi/contract`, so a bug there cannot make the factories agree with it. */
export function abnChecksumOk(abn: string): boolean {
  if (!/^\d{11}$/.test(abn)) return false;
  const digits = abn.split('').map(Number);
  digits[0] -= 1;
  return digits.reduce((sum, d, i) => sum + d * WEIGHTS[i], 0) % 89 === 0;
}

export function randomAbn(): string {
  for (;;) {
    const candidate = String(randomInt(10, 100)) + String(randomInt(0, 1e9)).padStart(9, '0');
    if (abnChecksumOk(candidate)) return candidate;
  }
}
