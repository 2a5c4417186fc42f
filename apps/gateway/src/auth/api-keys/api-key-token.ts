import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN = /^(usi_(?:live|test)_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  key: string;
  prefix: string;
  hash: string;
}

/** `usi_live_ab12cd34_<256-bit secret>`: the prefix stays visible in listings, only the hash is stored. */
export function issueApiKeyToken(live: boolean): IssuedToken {
  const prefix = `usi_${live ? 'live' : 'test'}_${randomBytes(5).toString('hex').slice(0, 8)}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(key: string): boolean {
  return TOKEN.test(key);
}

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
