import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KeyProviderError } from './key-provider.error';

export const DEFAULT_MASTER_KEY_FILE = './.data/master.key';

export interface MasterKeySource {
  /** base64 of 32 bytes */
  masterKey?: string;
  masterKeyFile?: string;
  /** In production a missing key is a configuration error, never something to invent. */
  production: boolean;
}

export function loadMasterKey(source: MasterKeySource): Buffer {
  if (source.masterKey) {
    return decode(source.masterKey, 'MASTER_KEY');
  }
  const file = resolve(source.masterKeyFile ?? DEFAULT_MASTER_KEY_FILE);
  const existing = readIfPresent(file);
  if (existing !== undefined) {
    return decode(existing, `MASTER_KEY_FILE (${file})`);
  }
  if (source.production) {
    throw new KeyProviderError(
      'key_provider.master_key_missing',
      `No master key: set KMS_KEY_ID, MASTER_KEY (base64, 32 bytes) or MASTER_KEY_FILE (${file} does not exist)`,
    );
  }
  return createKeyFile(file);
}

function createKeyFile(file: string): Buffer {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs so both encrypt under the same key.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return decode(readFileSync(file, 'utf8'), `MASTER_KEY_FILE (${file})`);
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function decode(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new KeyProviderError('key_provider.master_key_invalid', `${origin} must be base64 of exactly 32 bytes`);
  }
  return key;
}
