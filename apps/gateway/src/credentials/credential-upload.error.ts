import { UsiError } from '@usi/contract';
import { AppError } from '../common/errors/app-error';

const FROM_KEYSTORE: Record<string, string> = {
  'keystore.malformed': 'credential.keystore_malformed',
  'keystore.invalid_entry': 'credential.keystore_malformed',
  'keystore.credential_not_found': 'credential.not_found_in_keystore',
  'keystore.wrong_password': 'credential.wrong_password',
  'keystore.expired': 'credential.expired',
  'keystore.not_yet_valid': 'credential.not_yet_valid',
  'keystore.key_mismatch': 'credential.key_mismatch',
};

/** Keystore-library failures in the gateway's API vocabulary (`credential.*`); anything else passes through. */
export function toCredentialError(err: unknown): unknown {
  const code = err instanceof UsiError ? FROM_KEYSTORE[err.code] : undefined;
  return code ? new AppError(code, (err as UsiError).message, (err as UsiError).details) : err;
}

export const keystoreTooLarge = (limit: number): AppError =>
  new AppError('credential.keystore_too_large', `The keystore exceeds ${limit} bytes`, { limitBytes: limit });

export const keystoreMalformed = (message: string): AppError => new AppError('credential.keystore_malformed', message);
