const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 decode (whitespace allowed): Buffer.from silently skips garbage, which would hide corrupt files. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}
