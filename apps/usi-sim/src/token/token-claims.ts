/**
 * Everything the USI side needs to accept a token, carried inside the encrypted assertion so that the USI
 * endpoint is stateless: it never looks the token up, it decrypts it.
 */
export interface TokenClaims {
  assertionId: string;
  issuer: string;
  /** The party the token speaks for: the second party under ActAs, else the credential's ABN. */
  subjectAbn: string;
  /** The credential owner (the cloud vendor under ActAs). */
  firstPartyAbn: string;
  ssid?: string;
  credentialId: string;
  credentialFingerprint: string;
  audience: string;
  notBefore: Date;
  notOnOrAfter: Date;
  proofKey: Buffer;
}
