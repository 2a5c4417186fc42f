import { KeystoreError, KeystoreErrorCode } from '../../../libs/m2m-keystore/src/keystore.error';

/** Words that must never reach an error: PEM armour, and any password a test used. */
const FORBIDDEN = ['PRIVATE KEY', 'Password1!'];

/** Runs `fn`, asserts it throws a KeystoreError with `code`, and that the error leaks no key material or password. */
export function expectKeystoreError(fn: () => unknown, code: KeystoreErrorCode, secrets: string[] = []): KeystoreError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KeystoreError);
  const error = thrown as KeystoreError;
  expect(error.code).toBe(code);
  // The stack's frames are code locations (a random secret like "property" can match a function name there); what
  // could carry a secret is its text above them, which is also what a logged error shows.
  const stackText = (error.stack ?? '').split(/\n\s+at /)[0];
  const visible = `${error.message} ${JSON.stringify(error.details ?? {})} ${stackText}`;
  for (const word of [...FORBIDDEN, ...secrets]) expect(visible).not.toContain(word);
  return error;
}
