import { UNVERIFIED_IDENTITY_MESSAGE } from './usi-fault';

/**
 * In-band `Errors/Error` entries (XSD ErrorType: "E" + 3 digits). The real codes are not public; these are the
 * simulator's own, stable and listed in SEED.md.
 */
export const BUSINESS_ERRORS = {
  multipleExistingRecords: { code: 'E101', message: 'Failed to create USI record, multiple existing records were found.' },
  identityNotVerified: { code: 'E102', message: UNVERIFIED_IDENTITY_MESSAGE },
  usiNotFound: { code: 'E201', message: 'The USI could not be found in the USI Registry System.' },
  usiDeactivated: { code: 'E202', message: 'The USI has been deactivated and cannot be updated.' },
  noContactPermission: {
    code: 'E203',
    message: 'The student has not given this organisation permission to update their contact details.',
  },
  modifiedFieldMissing: { code: 'E204', message: 'The field named in PersonalDetailsModifier was not supplied.' },
} as const;

export type BusinessError = { code: string; message: string };
