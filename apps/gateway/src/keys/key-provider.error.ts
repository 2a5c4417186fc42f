import { UsiError } from '@usi/contract';

/**
 * Failures of envelope encryption. Messages never include key material; a failed decrypt does not say whether the
 * ciphertext, the tag, the context or the key was wrong, because the cipher cannot tell either.
 */
export class KeyProviderError extends UsiError {}
