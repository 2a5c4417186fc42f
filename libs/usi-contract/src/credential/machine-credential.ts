import type { KeyObject } from 'node:crypto';

/**
 * The part of an ATO machine credential that signs STS requests; never serialised. Shared by the keystore reader
 * (which produces it) and the client (which consumes it), so neither depends on the other.
 */
export interface MachineCredential {
  /** Keystore alias, `ABRD:<ABN>_<name>`; part of the token cache key. */
  id: string;
  abn: string;
  /** Leaf certificate, DER. */
  certificateDer: Buffer;
  privateKey: KeyObject;
  notAfter: Date;
  /** base64(SHA-1(leaf DER)), the keystore's `sha1fingerprint`: names the certificate in token cache keys and audit records. */
  sha1Fingerprint?: string;
}
