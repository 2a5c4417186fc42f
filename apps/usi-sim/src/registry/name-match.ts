/** The registry compares names ignoring case and surrounding/repeated whitespace ("MARYAM " matches "Maryam"). */
export function normaliseName(value: string | undefined): string | undefined {
  const trimmed = value?.trim().replace(/\s+/g, ' ');
  return trimmed ? trimmed.toLowerCase() : undefined;
}

/** True when both are given and equal after normalisation; two absent values do not "match". */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  const na = normaliseName(a);
  return na !== undefined && na === normaliseName(b);
}
