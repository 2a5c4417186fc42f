const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];

/** ABR checksum: subtract 1 from the first digit, weight the 11 digits, and the sum must be divisible by 89. */
export function isValidAbn(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  // Stryker disable next-line Regex: /\s/g and /\s+/g remove the same whitespace.
  const digits = value.replace(/\s+/g, '');
  if (!/^[1-9]\d{10}$/.test(digits)) {
    return false;
  }
  const weighted = ABN_WEIGHTS.map((weight, i) => weight * (Number(digits[i]) - (i === 0 ? 1 : 0)));
  // Stryker disable next-line ArithmeticOperator: summing with minus gives -sum, and -sum % 89 is 0 exactly when sum % 89 is.
  const sum = weighted.reduce((acc, w) => acc + w, 0);
  return sum % 89 === 0;
}
