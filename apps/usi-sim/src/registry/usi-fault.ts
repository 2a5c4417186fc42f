import { ErrorInfo, GENERIC_VALIDATION, UsiError } from '@usi/contract';

/** A business fault the registry answers with a SOAP fault carrying ErrorInfo (one) or ArrayOfErrorInfo (many). */
export class UsiFault extends UsiError {
  constructor(readonly errors: ErrorInfo[]) {
    super('usi.fault', errors.map((e) => `${e.title} [${e.code}]: ${e.message}`).join('; '), { errors });
  }
}

export { GENERIC_VALIDATION };
export const UNVERIFIED_IDENTITY = 2004;

export function validationFault(...messages: string[]): UsiFault {
  return new UsiFault(messages.map((message) => ({ code: GENERIC_VALIDATION, title: 'Generic Validation', message })));
}

export function unverifiedIdentityFault(): UsiFault {
  return new UsiFault([{ code: UNVERIFIED_IDENTITY, title: 'Unverified Identity', message: UNVERIFIED_IDENTITY_MESSAGE }]);
}

export const UNVERIFIED_IDENTITY_MESSAGE = 'The system could not verify the identity based on the supplied information.';
