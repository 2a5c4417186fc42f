import { UsiError } from '@usi/contract';

export type KeystoreErrorCode =
  | 'keystore.malformed'
  | 'keystore.credential_not_found'
  | 'keystore.wrong_password'
  | 'keystore.expired'
  | 'keystore.not_yet_valid'
  | 'keystore.key_mismatch'
  | 'keystore.invalid_entry';

/** Every failure of the keystore library. Messages and details name credentials and dates, never key material. */
export class KeystoreError extends UsiError {
  constructor(
    override readonly code: KeystoreErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}
