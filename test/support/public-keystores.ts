import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The public 3PT keystores, carried in the repository (test/fixtures/keystores/README.md says where from). */
export const PUBLIC_KEYSTORE_PATH = join(__dirname, '..', 'fixtures', 'keystores', 'keystore-3pt.xml');
export const EXPIRED_KEYSTORE_PATH = join(__dirname, '..', 'fixtures', 'keystores', 'keystore-3pt-expired.xml');
export const PUBLIC_KEYSTORE_PASSWORD = 'Password1!';

export function publicKeystore(): Buffer {
  return readFileSync(PUBLIC_KEYSTORE_PATH);
}

export function expiredKeystore(): Buffer {
  return readFileSync(EXPIRED_KEYSTORE_PATH);
}
