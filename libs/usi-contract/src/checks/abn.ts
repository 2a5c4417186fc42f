const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];

/** ABR checksum: subtract 1 from the first digit, weight the 11 digits, and the sum must be divisible by 89. */
export function isValidAbn(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const digits = value.replace(/\s+/g, '');
  if (!/^[1-9]\d{10}$/.test(digits)) {
    return false;
  }
  const sum = ABN_WEIGHTS.reduce((acc, weight, i) => acc + weight * (Number(digits[i]) - (i === 0 ? 1 : 0)), 0);
  return sum % 89 === 0;
}
